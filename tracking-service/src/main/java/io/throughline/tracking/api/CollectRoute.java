package io.throughline.tracking.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.throughline.commons.api.ProblemDetail;
import io.throughline.commons.api.RequestIds;
import io.throughline.tracking.config.TrackingConfig;
import io.throughline.tracking.domain.PageUrl;
import io.throughline.tracking.store.SiteDirectory;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The public /collect endpoint on Vert.x routes (no JAX-RS on this path: it is the hottest one). Bodies are
 * read with a hard bound, the batch is handled by {@link Collector}, and the answer is written on the
 * request's event loop. Also answers CORS preflights and serves the snippet's site settings (GET).
 */
@ApplicationScoped
public class CollectRoute {

    private final Collector collector;
    private final SiteDirectory sites;
    private final ObjectMapper json;
    private final int maxBody;

    public CollectRoute(Collector collector, SiteDirectory sites, ObjectMapper json, TrackingConfig config) {
        this.collector = collector;
        this.sites = sites;
        this.json = json;
        this.maxBody = config.collect().maxBodyBytes();
    }

    void register(@Observes Router router) {
        router.route("/collect").order(-5).handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        rc.response().putHeader(RequestIds.HEADER, RequestIds.accept(request.getHeader(RequestIds.HEADER)));
        if (request.method() == HttpMethod.OPTIONS) {
            preflight(rc);
        } else if (request.method() == HttpMethod.GET) {
            settings(rc);
        } else if (request.method() == HttpMethod.POST) {
            post(rc);
        } else {
            rc.response().putHeader(HttpHeaders.ALLOW, "POST, GET, OPTIONS");
            problem(rc, 405, "method-not-allowed", "Method not allowed", "Use POST to send events", null);
        }
    }

    private void post(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        String mediaType = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (!mediaType.equals("application/json") && !mediaType.equals("text/plain")) {
            problem(rc, 415, "unsupported-media-type", "Unsupported media type",
                    "Send the batch as application/json or text/plain (sendBeacon)", origin);
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && parseLength(length) > maxBody) {
            problem(rc, 413, "too-large", "Payload too large", "A batch is at most " + maxBody + " bytes", origin);
            return;
        }
        Instant receivedAt = Instant.now();
        Buffer body = Buffer.buffer(length == null ? 1024 : (int) Math.max(0, Math.min(parseLength(length), maxBody)));
        boolean[] tooLarge = {false};
        request.handler(chunk -> {
            if (tooLarge[0]) {
                return;
            }
            if (body.length() + chunk.length() > maxBody) {
                tooLarge[0] = true;
                problem(rc, 413, "too-large", "Payload too large", "A batch is at most " + maxBody + " bytes", origin);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(e -> tooLarge[0] = true);
        request.endHandler(end -> {
            if (tooLarge[0] || rc.response().ended()) {
                return;
            }
            String ip = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
            CompletableFuture<Collector.Answer> answer = collector.collect(new Collector.Request(body.getBytes(), origin,
                    request.getHeader(HttpHeaders.USER_AGENT), ip, receivedAt));
            respondWhenDone(rc, answer);
        });
    }

    private void respondWhenDone(RoutingContext rc, CompletableFuture<Collector.Answer> answer) {
        if (answer.isDone()) {
            write(rc, answer.join());
            return;
        }
        Context context = Vertx.currentContext();
        answer.whenComplete((a, e) -> context.runOnContext(v -> write(rc, a != null ? a
                : Collector.Answer.problem(500, "internal-error", "Internal error", "The batch was not stored", List.of()))));
    }

    private void write(RoutingContext rc, Collector.Answer answer) {
        HttpServerResponse response = rc.response();
        if (response.ended()) {
            return;
        }
        answer.headers().forEach(response::putHeader);
        cors(response, answer.allowedOrigin() != null ? answer.allowedOrigin() : null);
        String type = answer.body() instanceof ProblemDetail ? ProblemDetail.MEDIA_TYPE : "application/json";
        response.setStatusCode(answer.status()).putHeader(HttpHeaders.CONTENT_TYPE, type).end(Buffer.buffer(bytes(answer.body())));
    }

    /** CORS preflight (only JSON posts need one; t.js sends text/plain): allowed for any registered site's host. */
    private void preflight(RoutingContext rc) {
        String origin = rc.request().getHeader(HttpHeaders.ORIGIN);
        String host = origin == null ? null : PageUrl.hostOf(origin);
        if (host == null) {
            problem(rc, 403, "origin-not-allowed", "Origin not allowed", "A preflight needs the page's Origin", null);
            return;
        }
        Context context = Vertx.currentContext();
        sites.anySiteOwnsHost(host).whenComplete((owned, e) -> context.runOnContext(v -> {
            if (e != null || !Boolean.TRUE.equals(owned)) {
                problem(rc, 403, "origin-not-allowed", "Origin not allowed", "No site lists " + host, null);
                return;
            }
            cors(rc.response(), origin);
            rc.response().putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, "POST, GET")
                    .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type")
                    .putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, "86400").setStatusCode(204).end();
        }));
    }

    /** GET /collect?site=KEY: the settings t.js needs before it sends anything (consent mode, domains to link). */
    private void settings(RoutingContext rc) {
        String key = rc.request().getParam("site");
        String origin = rc.request().getHeader(HttpHeaders.ORIGIN);
        if (key == null || !key.matches("pk_[a-z0-9]{1,64}")) {
            problem(rc, 400, "invalid-request", "Invalid request", "site must be the site's public key (pk_...)", origin);
            return;
        }
        Context context = Vertx.currentContext();
        sites.byPublicKey(key).whenComplete((site, e) -> context.runOnContext(v -> {
            if (e != null) {
                rc.response().putHeader("Retry-After", "10");
                problem(rc, 503, "dependency-unavailable", "Dependency unavailable", "Retry later", origin);
            } else if (site.isEmpty()) {
                problem(rc, 404, "not-found", "Not found", "No site has this key", origin);
            } else if (origin != null && !site.get().ownsOrigin(origin)) {
                problem(rc, 403, "origin-not-allowed", "Origin not allowed", "This page is not on one of the site's domains", null);
            } else {
                cors(rc.response(), origin);
                SnippetSettings body = SnippetSettings.of(site.get());
                rc.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=300").end(Buffer.buffer(bytes(body)));
            }
        }));
    }

    private void problem(RoutingContext rc, int status, String slug, String title, String detail, String allowedOrigin) {
        write(rc, new Collector.Answer(status, ProblemDetail.of(status, slug, title, detail, null).withInstance("/collect"),
                java.util.Map.of(), allowedOrigin));
    }

    private static void cors(HttpServerResponse response, String origin) {
        if (origin != null) {
            response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin).putHeader(HttpHeaders.VARY, "Origin")
                    .putHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, "Retry-After, X-Request-Id");
        }
    }

    private byte[] bytes(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
