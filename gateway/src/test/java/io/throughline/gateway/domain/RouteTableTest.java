package io.throughline.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RouteTableTest {

    private final RouteTable table = new RouteTable(RouteTable.DEFAULT_PORTS.keySet());

    @ParameterizedTest(name = "{0} -> {1} (public: {2})")
    @CsvSource({
            "/t.js, collector, true",
            "/collect, collector, true",
            "/dni, calltracking, true",
            "/webhooks/calls/twilio, calltracking, true",
            "/webhooks/crm/bitrix24, attribution, true",
            "/feeds/audiences/0190b3a8-0000-7000-8000-000000000000/google.csv, attribution, true",
            "/api/tracking/sites, tracking, false",
            "/api/calltracking/pools/1/numbers, calltracking, false",
            "/api/identity/persons/x/unmerge, identity, false",
            "/api/attribution/compute, attribution, false",
            "/api/reporting, reporting, false"})
    void routesEachPathToItsOwner(String path, String service, boolean isPublic) {
        assertEquals(Optional.of(new RouteTable.Route(service, isPublic)), table.resolve(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/api/", "/api/billing/x", "/webhooks/", "/webhooks/calls/", "/collect/more", "/t.jsx",
            "/api/tracking/../identity/x", "/api//tracking"})
    void refusesWhatNoServiceOwns(String path) {
        assertTrue(table.resolve(path).isEmpty());
    }

    @Test
    void withoutTheCollectorListenerTheSnippetAndCollectorGoToTracking() {
        RouteTable withoutCollector = new RouteTable(Set.of("tracking", "calltracking"));
        assertEquals(Optional.of(new RouteTable.Route("tracking", true)), withoutCollector.resolve("/collect"));
        assertEquals(Optional.of(new RouteTable.Route("tracking", true)), withoutCollector.resolve("/t.js"));
    }

    @Test
    void longestPrefixDecidesTheRoles() {
        AccessRules rules = new AccessRules(Map.of(
                "/api/", Set.of("admin", "analyst", "ingest"),
                "/api/attribution/audiences", Set.of("audience-reader", "admin")));
        assertTrue(rules.allows("/api/attribution/audiences/buyers", Set.of("audience-reader")));
        assertFalse(rules.allows("/api/attribution/compute", Set.of("audience-reader")));
        assertTrue(rules.allows("/api/attribution/compute", Set.of("analyst")));
        assertFalse(rules.allows("/api/attribution/audiences/buyers", Set.of("analyst")));
        assertFalse(rules.allows("/other", Set.of("admin")));
    }

    @Test
    void rateLimitsEachClientOnItsOwnBucket() {
        ClientRateLimits limits = new ClientRateLimits(1, 3, 100);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, limits.tryAcquire("a"));
        }
        assertTrue(limits.tryAcquire("a") >= 1);
        assertEquals(0, limits.tryAcquire("b"));
    }
}
