package io.throughline.tracking.api;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.throughline.commons.api.ProblemDetail;
import io.throughline.tracking.config.TrackingConfig;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The public hot path on its own listener: /collect and /t.js on a plain Vert.x HTTP server (one instance per
 * event loop), without the main port's router, security, metrics and forwarding layers, which cost a fifth of
 * the collector's throughput in the benchmark. The gateway sends the public paths here; they stay available on
 * the main port too. X-Forwarded-For is believed from the trusted proxies only.
 */
@ApplicationScoped
public class CollectorServer {

    private static final Logger LOG = Logger.getLogger(CollectorServer.class);

    private final CollectRoute collect;
    private final SnippetRoute snippet;
    private final TrackingConfig.Collector config;
    private final TrustedProxies proxies;
    private final AtomicInteger port = new AtomicInteger(-1);
    private String deployment;

    private Vertx vertx;

    public CollectorServer(CollectRoute collect, SnippetRoute snippet, TrackingConfig config,
            @ConfigProperty(name = "throughline.trusted-proxies", defaultValue = "127.0.0.0/8,::1/128") List<String> trustedProxies) {
        this.collect = collect;
        this.snippet = snippet;
        this.config = config.collector();
        this.proxies = new TrustedProxies(trustedProxies);
    }

    void start(@Observes StartupEvent event) throws Exception {
        if (config.port() < 0) {
            return;
        }
        int listen = config.port() == 0 ? freePort() : config.port();
        // Its own event loops, without the main runtime's per-request metrics; the collector counts its batches itself.
        int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setWorkerPoolSize(1));
        deployment = vertx.deployVerticle(() -> new Listener(listen), new DeploymentOptions()
                .setInstances(loops)).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        port.set(listen);
        LOG.infof("Public collector listening on %s:%d", config.host(), listen);
    }

    void stop(@Observes ShutdownEvent event) {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().completeOnTimeout(null, 10, TimeUnit.SECONDS).join();
        }
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The port the listener is bound to, -1 when it is switched off. */
    public int port() {
        return port.get();
    }

    private void route(HttpServerRequest request) {
        switch (request.path()) {
            case "/collect" -> collect.handle(request, proxies.clientAddress(request));
            case "/t.js" -> snippet.serve(request);
            default -> request.response().setStatusCode(404).putHeader("Content-Type", ProblemDetail.MEDIA_TYPE)
                    .end("{\"type\":\"https://throughline.io/problems/not-found\",\"title\":\"Not found\",\"status\":404,"
                            + "\"detail\":\"The collector port serves /collect and /t.js only\"}");
        }
    }

    private final class Listener extends AbstractVerticle {

        private final int port;

        Listener(int port) {
            this.port = port;
        }

        @Override
        public void start(Promise<Void> started) {
            // Every instance listens on the same port: Vert.x shares it and spreads connections over the event loops.
            vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setMaxHeaderSize(16384))
                    .requestHandler(CollectorServer.this::route).listen(port, config.host())
                    .onSuccess(s -> started.complete()).onFailure(started::fail);
        }
    }
}
