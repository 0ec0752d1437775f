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

    /** Owners of the public paths, as api-conventions.md lists them. */
    private static final List<PublicPath> PUBLIC = List.of(
            new PublicPath("/t.js", false, "tracking"),
            new PublicPath("/collect", false, "tracking"),
            new PublicPath("/dni", false, "calltracking"),
            new PublicPath("/webhooks/calls/", true, "calltracking"),
            new PublicPath("/webhooks/crm/", true, "attribution"));

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
                return services.contains(p.service) ? Optional.of(new Route(p.service, true)) : Optional.empty();
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

    private record PublicPath(String path, boolean prefix, String service) {
    }

    /** The standard service names, for configuration defaults. */
    public static final Map<String, Integer> DEFAULT_PORTS = Map.of(
            "tracking", 8081, "calltracking", 8082, "identity", 8083, "attribution", 8084, "reporting", 8085);
}
