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
import jakarta.inject.Singleton;
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
@Singleton
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
        // On the main port Quarkus has already read X-Forwarded-For from trusted proxies into the remote address.
        router.route("/collect").order(-5).handler(rc -> handle(rc.request(),
                rc.request().remoteAddress() == null ? null : rc.request().remoteAddress().hostAddress()));
    }

    /** One request to /collect; {@code clientIp} is the caller's address (after trusted proxies). */
    public void handle(HttpServerRequest request, String clientIp) {
        String requestId = request.getHeader(RequestIds.HEADER);
        if (requestId != null) {
            // The gateway sends one on every public request and shows it to the caller; echoed for direct callers.
            request.response().putHeader(RequestIds.HEADER, RequestIds.accept(requestId));
        }
        if (request.method() == HttpMethod.OPTIONS) {
            preflight(request);
        } else if (request.method() == HttpMethod.GET) {
            settings(request);
        } else if (request.method() == HttpMethod.POST) {
            post(request, clientIp);
        } else {
            request.response().putHeader(HttpHeaders.ALLOW, "POST, GET, OPTIONS");
            problem(request, 405, "method-not-allowed", "Method not allowed", "Use POST to send events", null);
        }
    }

    private void post(HttpServerRequest request, String ip) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (!isMediaType(type, "text/plain") && !isMediaType(type, "application/json")) {
            problem(request, 415, "unsupported-media-type", "Unsupported media type",
                    "Send the batch as application/json or text/plain (sendBeacon)", origin);
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && parseLength(length) > maxBody) {
            problem(request, 413, "too-large", "Payload too large", "A batch is at most " + maxBody + " bytes", origin);
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
                problem(request, 413, "too-large", "Payload too large", "A batch is at most " + maxBody + " bytes", origin);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(e -> tooLarge[0] = true);
        request.endHandler(end -> {
            if (tooLarge[0] || request.response().ended()) {
                return;
            }
            CompletableFuture<Collector.Answer> answer = collector.collect(new Collector.Request(body.getBytes(), origin,
                    request.getHeader(HttpHeaders.USER_AGENT), ip, receivedAt));
            respondWhenDone(request, answer);
        });
    }

    private void respondWhenDone(HttpServerRequest request, CompletableFuture<Collector.Answer> answer) {
        if (answer.isDone()) {
            write(request, answer.join());
            return;
        }
        Context context = Vertx.currentContext();
        answer.whenComplete((a, e) -> context.runOnContext(v -> write(request, a != null ? a
                : Collector.Answer.problem(500, "internal-error", "Internal error", "The batch was not stored", List.of()))));
    }

    private void write(HttpServerRequest request, Collector.Answer answer) {
        HttpServerResponse response = request.response();
        if (response.ended()) {
            return;
        }
        answer.headers().forEach(response::putHeader);
        cors(response, answer.allowedOrigin(), answer.status() >= 300);
        String type = answer.body() instanceof ProblemDetail ? ProblemDetail.MEDIA_TYPE : "application/json";
        byte[] body = answer.body() instanceof CollectResponse verdicts ? verdicts.toJson() : bytes(answer.body());
        response.setStatusCode(answer.status()).putHeader(HttpHeaders.CONTENT_TYPE, type).end(Buffer.buffer(body));
    }

    /** CORS preflight (only JSON posts need one; t.js sends text/plain): allowed for any registered site's host. */
    private void preflight(HttpServerRequest request) {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        String host = origin == null ? null : PageUrl.hostOf(origin);
        if (host == null) {
            problem(request, 403, "origin-not-allowed", "Origin not allowed", "A preflight needs the page's Origin", null);
            return;
        }
        Context context = Vertx.currentContext();
        sites.anySiteOwnsHost(host).whenComplete((owned, e) -> context.runOnContext(v -> {
            if (e != null || !Boolean.TRUE.equals(owned)) {
                problem(request, 403, "origin-not-allowed", "Origin not allowed", "No site lists " + host, null);
                return;
            }
            cors(request.response(), origin, false);
            request.response().putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, "POST, GET")
                    .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type")
                    .putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, "86400").setStatusCode(204).end();
        }));
    }

    /** GET /collect?site=KEY: the settings t.js needs before it sends anything (consent mode, domains to link). */
    private void settings(HttpServerRequest request) {
        String key = request.getParam("site");
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (key == null || !key.matches("pk_[a-z0-9]{1,64}")) {
            problem(request, 400, "invalid-request", "Invalid request", "site must be the site's public key (pk_...)", origin);
            return;
        }
        Context context = Vertx.currentContext();
        sites.byPublicKey(key).whenComplete((site, e) -> context.runOnContext(v -> {
            if (e != null) {
                request.response().putHeader("Retry-After", "10");
                problem(request, 503, "dependency-unavailable", "Dependency unavailable", "Retry later", origin);
            } else if (site.isEmpty()) {
                problem(request, 404, "not-found", "Not found", "No site has this key", origin);
            } else if (origin != null && !site.get().ownsOrigin(origin)) {
                problem(request, 403, "origin-not-allowed", "Origin not allowed", "This page is not on one of the site's domains", null);
            } else {
                cors(request.response(), origin, false);
                SnippetSettings body = SnippetSettings.of(site.get());
                request.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=300").end(Buffer.buffer(bytes(body)));
            }
        }));
    }

    private void problem(HttpServerRequest request, int status, String slug, String title, String detail, String allowedOrigin) {
        write(request, new Collector.Answer(status, ProblemDetail.of(status, slug, title, detail, null).withInstance("/collect"),
                java.util.Map.of(), allowedOrigin));
    }

    /** CORS for an allowed page origin; Retry-After is exposed on refusals only (t.js reads it then). */
    private static void cors(HttpServerResponse response, String origin, boolean refusal) {
        if (origin != null) {
            response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin).putHeader(HttpHeaders.VARY, "Origin");
            if (refusal) {
                response.putHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, "Retry-After, X-Request-Id");
            }
        }
    }

    private byte[] bytes(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "text/plain;charset=UTF-8" is text/plain: the media type, case-insensitive, before any parameter. */
    private static boolean isMediaType(String header, String expected) {
        if (header == null || !header.regionMatches(true, 0, expected, 0, expected.length())) {
            return false;
        }
        return header.length() == expected.length() || header.charAt(expected.length()) == ';'
                || header.substring(expected.length()).isBlank();
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
