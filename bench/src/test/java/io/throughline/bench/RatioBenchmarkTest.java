package io.throughline.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The harness works and every benchmark runs; no timing is asserted (figures go in issue notes). */
class RatioBenchmarkTest {

    @Test
    void reportsFiniteThroughputAndRatio() {
        RatioBenchmark.Result result = RatioBenchmark.run("sum", i -> i, i -> i * 31 % 7, 10_000, 1, 3);
        assertTrue(result.baselineOpsPerSecond() > 0 && Double.isFinite(result.ratio()), result.line());
    }

    @Test
    void identityBenchmarkRunsOnASmallStream() throws Exception {
        IdentityLinkBenchmark.run(400);
    }

    @Test
    void identityEventStreamMixesNewReturningAndLeads() {
        var events = IdentityLinkBenchmark.events(1000, new java.util.Random(1), "");
        long leads = events.stream().filter(e -> e.stream().anyMatch(r -> r.type() == io.throughline.identity.domain.IdentifierType.EMAIL)).count();
        assertTrue(leads > 100 && leads < 300, "about a fifth are leads: " + leads);
    }

    @Test
    void gatewayAdmissionBenchmarkRuns() {
        RatioBenchmark.Result result = GatewayAdmissionBenchmark.run(20_000, 1, 3);
        assertTrue(result.candidateOpsPerSecond() > 0, result.line());
    }
}
