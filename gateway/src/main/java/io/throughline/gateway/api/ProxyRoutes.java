package io.throughline.gateway.api;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.throughline.gateway.config.GatewayConfig;
import io.throughline.gateway.domain.AccessRules;
import io.throughline.gateway.domain.ClientRateLimits;
import io.throughline.gateway.domain.RouteTable;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The single public entry: resolves the owning service, checks size, token, role and rate, then streams
 * the request to the service with the caller's bearer token and a request id.
 */
@ApplicationScoped
public class ProxyRoutes {

    static final String REQUEST_ID = "X-Request-Id";
    private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{8,128}");

    private final UpstreamProxies upstreams;
    private final RouteTable routes;
    private final AccessRules access;
    private final ClientRateLimits apiLimits;
    private final ClientRateLimits publicLimits;
    private final GatewayConfig.Limits limits;
    private final Set<String> corsOrigins;

    public ProxyRoutes(UpstreamProxies upstreams, GatewayConfig config) {
        this.upstreams = upstreams;
        this.routes = new RouteTable(upstreams.services());
        this.access = new AccessRules(config.access());
        this.limits = config.limits();
        this.apiLimits = new ClientRateLimits(limits.apiPerSecond(), limits.apiBurst(), limits.trackedClients());
        this.publicLimits = new ClientRateLimits(limits.publicPerSecond(), limits.publicBurst(), limits.trackedClients());
        this.corsOrigins = Set.copyOf(config.cors().origins());
    }

    void register(@Observes Router router) {
        for (String path : new String[] {"/api/*", "/t.js", "/collect", "/dni", "/webhooks/*", "/feeds/*"}) {
            router.route(path).order(-10).handler(this::handle);
        }
    }

    private void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        String requestId = request.getHeader(REQUEST_ID);
        if (requestId == null || !SAFE_REQUEST_ID.matcher(requestId).matches()) {
            requestId = UUID.randomUUID().toString();
            request.headers().set(REQUEST_ID, requestId);
        }
        rc.response().putHeader(REQUEST_ID, requestId);

        RouteTable.Route route = routes.resolve(rc.normalizedPath()).orElse(null);
        if (route == null) {
            Problems.send(rc, 404, "not-found", "Not found", "No Throughline endpoint at " + rc.normalizedPath());
            return;
        }
        if (!route.isPublic() && !cors(rc)) {
            return;
        }
        if (!withinBodyLimit(rc, route)) {
            return;
        }
        if (route.isPublic()) {
            String client = request.remoteAddress().hostAddress();
            if (rateLimited(rc, publicLimits, "ip:" + client)) {
                return;
            }
            // The services limit and record public callers by address; they hear it from the gateway only
            // (a client's own X-Forwarded-For is replaced, never passed on).
            request.headers().set("X-Forwarded-For", client);
            upstreams.proxy(route.service()).handle(request);
            return;
        }
        request.pause();
        identity(rc).subscribe().with(identity -> {
            if (identity.isAnonymous()) {
                unauthorized(rc, "A bearer token is required");
            } else if (!access.allows(rc.normalizedPath(), identity.getRoles())) {
                Problems.send(rc, 403, "forbidden", "Forbidden", "Your role does not allow " + rc.normalizedPath());
            } else if (!rateLimited(rc, apiLimits, "sub:" + identity.getPrincipal().getName())) {
                upstreams.proxy(route.service()).handle(request);
                return;
            }
            request.resume();
        }, failure -> {
            unauthorized(rc, "The bearer token is invalid or expired");
            request.resume();
        });
    }

    private static Uni<SecurityIdentity> identity(RoutingContext rc) {
        Uni<SecurityIdentity> deferred = rc.get(QuarkusHttpUser.DEFERRED_IDENTITY_KEY);
        if (deferred == null) {
            return Uni.createFrom().failure(new IllegalStateException("no identity"));
        }
        return deferred;
    }

    private static void unauthorized(RoutingContext rc, String detail) {
        if (rc.response().headWritten()) {
            return; // Quarkus OIDC already challenged a token it could not verify
        }
        rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"throughline\"");
        Problems.send(rc, 401, "unauthorized", "Unauthorized", detail);
    }

    private boolean withinBodyLimit(RoutingContext rc, RouteTable.Route route) {
        String path = rc.normalizedPath();
        long max = !route.isPublic() ? (limits.uploadPaths().stream().anyMatch(path::startsWith) ? limits.uploadBodyBytes() : limits.apiBodyBytes())
                : path.startsWith("/webhooks/") ? limits.webhookBodyBytes() : limits.publicBodyBytes();
        String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                Problems.send(rc, 400, "invalid-request", "Invalid request", "Content-Length is not a number");
                return false;
            }
            if (declared > max) {
                Problems.send(rc, 413, "too-large", "Payload too large", "The body exceeds " + max + " bytes");
                return false;
            }
        } else if (route.isPublic() && hasBody(rc.request().method())) {
            // Public bodies are small and sent whole by browsers and PBXs; unbounded chunked uploads are refused.
            Problems.send(rc, 411, "length-required", "Length required", "Public endpoints need a Content-Length");
            return false;
        }
        return true;
    }

    private static boolean hasBody(HttpMethod method) {
        return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
    }

    private static boolean rateLimited(RoutingContext rc, ClientRateLimits limits, String client) {
        long wait = limits.tryAcquire(client);
        if (wait == 0) {
            return false;
        }
        rc.response().putHeader("Retry-After", Long.toString(wait));
        Problems.send(rc, 429, "rate-limited", "Too many requests", "Slow down; retry after " + wait + " s");
        return true;
    }

    /** CORS for the dashboard's origins on /api; public paths leave CORS to the owning service (per site). */
    private boolean cors(RoutingContext rc) {
        String origin = rc.request().getHeader(HttpHeaders.ORIGIN);
        boolean allowed = origin != null && corsOrigins.contains(origin);
        if (allowed) {
            rc.response().putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                    .putHeader(HttpHeaders.VARY, "Origin")
                    .putHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, "X-Request-Id, Retry-After, Location");
        }
        if (rc.request().method() == HttpMethod.OPTIONS && rc.request().getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null) {
            if (!allowed) {
                Problems.send(rc, 403, "cors-origin", "Origin not allowed", "This origin may not call the API");
                return false;
            }
            rc.response().putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, PUT, PATCH, DELETE")
                    .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, "Authorization, Content-Type, Idempotency-Key, X-Request-Id")
                    .putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, "600")
                    .setStatusCode(204).end();
            return false;
        }
        return true;
    }
}
