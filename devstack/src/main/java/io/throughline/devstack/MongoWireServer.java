package io.throughline.devstack;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The MongoDB-wire store of the single-machine default (mongo-java-server with a persistent H2 file), run as
 * its own process: {@code MongoWireServer PORT FILE|memory}. A real MongoDB is a connection-string change.
 * Every command is committed to the file before it is answered, so an acknowledged write survives the
 * process being killed (H2 would otherwise commit once a second).
 */
public final class MongoWireServer {

    private MongoWireServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String file = args.length > 1 ? args[1] : "memory";
        MongoBackend backend;
        if ("memory".equals(file)) {
            backend = new MemoryBackend();
        } else {
            Files.createDirectories(Path.of(file).toAbsolutePath().getParent());
            backend = new CommittingH2Backend(file);
        }
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", port);
        System.out.println("MongoDB-wire store listening on 127.0.0.1:" + port + " (" + file + ")");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            stopped.countDown();
        }, "mongo-wire-shutdown"));
        stopped.await();
    }

    /** H2 that commits after every message (the drivers send every command as one) instead of on its one-second timer. */
    static final class CommittingH2Backend extends H2Backend {

        CommittingH2Backend(String file) {
            super(file);
        }

        @Override
        public Document handleMessage(MongoMessage message) {
            try {
                return super.handleMessage(message);
            } finally {
                commit();
            }
        }
    }
}
