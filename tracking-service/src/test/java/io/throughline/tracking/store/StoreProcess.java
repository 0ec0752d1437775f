package io.throughline.tracking.store;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The single-machine MongoDB-wire store (devstack's MongoWireServer, H2 file) as a child process that a test
 * can kill (SIGKILL, no chance to flush) and start again on the same port and file.
 */
public class StoreProcess implements QuarkusTestResourceLifecycleManager {

    private static Process process;
    private static int port;
    private static Path file;

    @Override
    public Map<String, String> start() {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        file = Path.of("target", "store-process", UUID.randomUUID().toString(), "tracking.mv").toAbsolutePath();
        launch();
        return Map.of("quarkus.mongodb.connection-string", "mongodb://127.0.0.1:" + port);
    }

    @Override
    public void stop() {
        kill();
    }

    /** Kills the store the hard way: whatever it had not written is lost, as with a crash. */
    public static void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts the store again on the same port and file. */
    public static void launch() {
        try {
            Files.createDirectories(file.getParent());
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    "io.throughline.devstack.MongoWireServer", Integer.toString(port), file.toString()))
                    .redirectErrorStream(true).redirectOutput(file.resolveSibling("store.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start the store process", e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!listening()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the store process did not start; see " + file.resolveSibling("store.log"));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
