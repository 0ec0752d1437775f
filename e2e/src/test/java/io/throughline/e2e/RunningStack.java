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
        StackSettings defaults = StackSettings.fromEnvironment();
        Map<String, Integer> http = new LinkedHashMap<>();
        Map<String, Integer> grpc = new LinkedHashMap<>();
        http.put("gateway", freePort());
        for (String service : StackSettings.SERVICES) {
            http.put(service, freePort());
            grpc.put(service, freePort());
        }
        StackSettings settings = defaults.isolated(Path.of(System.getProperty("throughline.root", ".")).resolve("e2e/target/stack"),
                "throughline_e2e_", http, grpc, freePort(), freePort(), freePort(), freePort());
        Stack stack = new Stack(settings, System.out);
        try {
            stack.start();
        } catch (Exception e) {
            stack.close();
            throw new IllegalStateException("The stack did not start: " + e.getMessage(), e);
        }
        return new Started(stack);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Closed by JUnit when the root context ends, i.e. after the last test class. */
    private record Started(Stack stack) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            stack.close();
        }
    }
}
