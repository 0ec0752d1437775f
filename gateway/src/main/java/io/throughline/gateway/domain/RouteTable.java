package io.throughline.gateway.domain;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which service owns a path, and whether it is public (site key / signature, no login) or an API path
 * that needs a token. Services serve the same paths the gateway does, so nothing is rewritten.
 */
public final class RouteTable {

    /**
     * Owners of the public paths, as api-conventions.md lists them. The snippet and the collector go to
     * tracking-service's own collector listener ("collector") when one is configured, else to tracking-service.
     */
    private static final List<PublicPath> PUBLIC = List.of(
            new PublicPath("/t.js", false, "collector", "tracking"),
            new PublicPath("/collect", false, "collector", "tracking"),
            new PublicPath("/dni", false, "calltracking", null),
            new PublicPath("/webhooks/calls/", true, "calltracking", null),
            new PublicPath("/webhooks/crm/", true, "attribution", null),
            // Audience feeds carry their own HTTP Basic credentials (ad platforms' fetchers cannot obtain tokens).
            new PublicPath("/feeds/audiences/", true, "attribution", null));

    private final Set<String> services;

    public RouteTable(Set<String> services) {
        this.services = Set.copyOf(services);
    }

    public Optional<Route> resolve(String path) {
        if (path == null || path.contains("..") || path.contains("//")) {
            return Optional.empty();
        }
        for (PublicPath p : PUBLIC) {
            if (p.prefix ? path.startsWith(p.path) && path.length() > p.path.length() : path.equals(p.path)) {
                if (services.contains(p.service)) {
                    return Optional.of(new Route(p.service, true));
                }
                return p.fallback != null && services.contains(p.fallback) ? Optional.of(new Route(p.fallback, true)) : Optional.empty();
            }
        }
        if (path.startsWith("/api/")) {
            int end = path.indexOf('/', 5);
            String service = end < 0 ? path.substring(5) : path.substring(5, end);
            if (services.contains(service)) {
                return Optional.of(new Route(service, false));
            }
        }
        return Optional.empty();
    }

    /** The service a request goes to and whether it may come without a token. */
    public record Route(String service, boolean isPublic) {
    }

    private record PublicPath(String path, boolean prefix, String service, String fallback) {
    }

    /** The standard service names, for configuration defaults. */
    public static final Map<String, Integer> DEFAULT_PORTS = Map.of(
            "tracking", 8081, "calltracking", 8082, "identity", 8083, "attribution", 8084, "reporting", 8085, "collector", 8091);

    /** Upstreams that serve no API of their own (and no OpenAPI document). */
    public static final Set<String> LISTENERS_ONLY = Set.of("collector");
}
