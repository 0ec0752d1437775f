package io.throughline.e2e;

import io.restassured.RestAssured;
import io.throughline.devstack.Stack;
import io.throughline.devstack.StackSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the real platform once for the whole suite (real PostgreSQL, real Keycloak with the committed realm,
 * the MongoDB-wire store, every service as its own process, on free ports and fresh databases) and stops it
 * when the suite ends.
 */
public final class RunningStack implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RunningStack.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        Assumptions.assumeFalse(Boolean.getBoolean("throughline.skipE2E"), "end-to-end suite skipped (-DskipE2E)");
        Started started = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Started.class, k -> start(), Started.class);
        RestAssured.baseURI = started.stack.settings().gatewayUrl();
        RestAssured.port = started.stack.settings().httpPorts().get("gateway");
    }

    /** Test lifecycle methods may take the running stack's {@link StackSettings} (ports, Keycloak URL) as a parameter. */
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == StackSettings.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        beforeAll(context);
        return context.getRoot().getStore(NAMESPACE).get(Started.class, Started.class).stack.settings();
    }

    private static Started start() {
        return new Started(isolated("stack", "throughline_e2e_"));
    }

    /** A whole platform of its own (its data directory under e2e/target, its databases, free ports), started. */
    static Stack isolated(String directory, String databasePrefix) {
        StackSettings defaults = StackSettings.fromEnvironment();
        Map<String, Integer> http = new LinkedHashMap<>();
        Map<String, Integer> grpc = new LinkedHashMap<>();
        http.put("gateway", freePort());
        for (String service : StackSettings.SERVICES) {
            http.put(service, freePort());
            grpc.put(service, freePort());
        }
        Path dataDir = Path.of(System.getProperty("throughline.root", ".")).resolve("e2e/target/" + directory);
        // PostgreSQL's databases are made afresh by the stack; the MongoDB-wire store's and the spool's files are removed
        // here, or a second local run would find the first one's hits (a clean clone has none).
        for (String store : java.util.List.of("mongodb", "tracking-spool")) {
            try {
                io.throughline.devstack.DataFiles.deleteTree(dataDir.resolve(store));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("could not clear " + dataDir.resolve(store), e);
            }
        }
        StackSettings settings = defaults.isolated(dataDir, databasePrefix, http, grpc, freePort(), freePort(), freePort(), freePort());
        Stack stack = new Stack(settings, System.out);
        try {
            stack.start();
        } catch (Exception e) {
            stack.close();
            throw new IllegalStateException("The stack did not start: " + e.getMessage(), e);
        }
        return stack;
    }

    private static final java.util.Set<Integer> TAKEN = new java.util.HashSet<>();

    /**
     * A free port below Linux's ephemeral range (32768+): a port the kernel hands out for port 0 may be handed out
     * again as the local side of some process's outgoing connection before the service binds it.
     */
    private static synchronized int freePort() {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 20_000 + random.nextInt(12_000);
            if (TAKEN.contains(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port)) {
                TAKEN.add(port);
                return socket.getLocalPort();
            } catch (IOException busy) {
                // try another
            }
        }
        throw new IllegalStateException("no free port between 20000 and 32000");
    }

    /** Closed by JUnit when the root context ends, i.e. after the last test class. */
    private record Started(Stack stack) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            stack.close();
        }
    }
}
