package io.throughline.gateway;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The five services, mocked at the HTTP boundary: each echoes what reached it (path, token, request id,
 * body size and digest) and serves a tiny OpenAPI document. identity is left down to test outages. A path with
 * {@code /flaky/} has its first request's connection closed without an answer.
 */
public class FakeServices implements QuarkusTestResourceLifecycleManager {

    public static final List<String> UP = List.of("tracking", "collector", "calltracking", "attribution", "reporting");
    /** Requests seen per "METHOD uri" on the flaky paths. */
    public static final Map<String, Integer> ATTEMPTS = new java.util.concurrent.ConcurrentHashMap<>();
    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        Map<String, String> config = new HashMap<>();
        for (String service : UP) {
            HttpServer server = vertx.createHttpServer().requestHandler(req -> {
                if (req.path().equals("/q/openapi")) {
                    req.response().putHeader("Content-Type", "application/json").end(openApi(service).encode());
                    return;
                }
                if (req.path().contains("/flaky/") && ATTEMPTS.merge(req.method() + " " + req.uri(), 1, Integer::sum) == 1) {
                    // The first request on this path finds its connection closed under it (a pooled keep-alive race).
                    req.connection().close();
                    return;
                }
                long[] bytes = {0};
                java.security.MessageDigest digest = sha256();
                req.handler(chunk -> {
                    bytes[0] += chunk.length();
                    digest.update(chunk.getBytes());
                });
                req.endHandler(v -> req.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                        .put("service", service).put("method", req.method().name()).put("path", req.uri())
                        .put("authorization", req.getHeader("Authorization"))
                        .put("request_id", req.getHeader("X-Request-Id"))
                        .put("forwarded_for", req.getHeader("X-Forwarded-For"))
                        .put("body_bytes", bytes[0]).put("body_sha256", java.util.HexFormat.of().formatHex(digest.digest()))
                        .put("attempts", ATTEMPTS.getOrDefault(req.method() + " " + req.uri(), 0)).encode()));
            });
            try {
                server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            config.put("throughline.gateway.upstreams." + service, "http://127.0.0.1:" + server.actualPort());
        }
        config.put("throughline.gateway.upstreams.identity", "http://127.0.0.1:" + closedPort());
        return config;
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }

    private static JsonObject openApi(String service) {
        JsonObject op = new JsonObject().put("summary", "things of " + service).put("tags", List.of(service))
                .put("responses", new JsonObject().put("200", new JsonObject().put("description", "OK")
                        .put("content", new JsonObject().put("application/json", new JsonObject()
                                .put("schema", new JsonObject().put("$ref", "#/components/schemas/Thing"))))));
        return new JsonObject().put("openapi", "3.1.0")
                .put("paths", new JsonObject().put("/api/" + service + "/things", new JsonObject().put("get", op)))
                .put("tags", List.of(new JsonObject().put("name", service)))
                .put("components", new JsonObject().put("schemas", new JsonObject().put("Thing",
                        new JsonObject().put("type", "object").put("description", service + " thing"))));
    }

    private static java.security.MessageDigest sha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
