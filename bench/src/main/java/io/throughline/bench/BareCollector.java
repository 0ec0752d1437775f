package io.throughline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.CountDownLatch;

/**
 * The baseline of the /collect benchmark: a bare Vert.x HTTP handler that reads the same batch, parses it with
 * Jackson and answers a small JSON. Everything the real collector does beyond that is what the ratio prices.
 * {@code BareCollector PORT}
 */
public final class BareCollector {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BareCollector() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Vertx vertx = Vertx.vertx();
        vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            try {
                JsonNode batch = JSON.readTree(body.getBytes());
                int events = batch.path("events").size();
                request.response().putHeader("Content-Type", "application/json")
                        .end(Buffer.buffer("{\"accepted\":" + events + ",\"duplicates\":0,\"rejected\":0}"));
            } catch (Exception e) {
                request.response().setStatusCode(400).end();
            }
        })).listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
        System.out.println("bare collector on 127.0.0.1:" + port);
        new CountDownLatch(1).await();
    }
}
