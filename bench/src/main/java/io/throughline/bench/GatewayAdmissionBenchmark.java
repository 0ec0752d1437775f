package io.throughline.bench;

import io.throughline.gateway.domain.AccessRules;
import io.throughline.gateway.domain.ClientRateLimits;
import io.throughline.gateway.domain.RouteTable;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the gateway adds to every request before it is proxied (route lookup, role rule, per-client token
 * bucket over 10,000 clients), against a plain hash-map lookup per request as the baseline.
 */
public final class GatewayAdmissionBenchmark {

    private static final String[] PATHS = {"/api/reporting/spend", "/api/tracking/sites/123", "/collect", "/t.js",
            "/api/attribution/audiences/buyers", "/api/identity/settings", "/webhooks/calls/twilio", "/dni"};
    private static final int CLIENTS = 10_000;

    private GatewayAdmissionBenchmark() {
    }

    public static RatioBenchmark.Result run(long opsPerRound, int warmup, int rounds) {
        RouteTable routes = new RouteTable(RouteTable.DEFAULT_PORTS.keySet());
        AccessRules access = new AccessRules(Map.of("/api/", Set.of("admin", "analyst", "ingest"),
                "/api/attribution/audiences", Set.of("audience-reader", "analyst", "admin")));
        ClientRateLimits limits = new ClientRateLimits(1_000_000_000L, 1_000_000_000L, CLIENTS * 2L);
        Set<String> roles = Set.of("analyst");
        String[] clients = new String[CLIENTS];
        Map<String, Integer> baselineMap = new HashMap<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients[i] = "sub:" + i;
            baselineMap.put(clients[i], i);
        }
        RatioBenchmark.Operation baseline = i -> baselineMap.get(clients[(int) (i % CLIENTS)]) + PATHS[(int) (i & 7)].length();
        RatioBenchmark.Operation candidate = i -> {
            String path = PATHS[(int) (i & 7)];
            var route = routes.resolve(path).orElseThrow();
            boolean allowed = route.isPublic() || access.allows(path, roles);
            return (allowed ? 1 : 0) + limits.tryAcquire(clients[(int) (i % CLIENTS)]);
        };
        return RatioBenchmark.run("gateway admission vs map lookup", baseline, candidate, opsPerRound, warmup, rounds);
    }
}
