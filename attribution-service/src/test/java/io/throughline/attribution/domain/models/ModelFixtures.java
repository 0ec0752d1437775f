package io.throughline.attribution.domain.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Small builders for hand-worked model cases. */
final class ModelFixtures {

    static final double EPS = 1e-9;
    static final Instant CONVERSION = Instant.parse("2026-11-20T12:00:00Z");

    private ModelFixtures() {
    }

    static PathRow row(String path, double conversions, double nulls, double value) {
        return PathRow.of(Arrays.asList(path.split(",")), conversions, nulls, value);
    }

    static PathRow roles(String path, double conversions, List<Set<String>> roles) {
        return new PathRow(Arrays.asList(path.split(",")), conversions, 0, 0, null, null, roles);
    }

    /** Channel -> conversions credited. */
    static Map<String, Double> conversions(AttributionResult result) {
        Map<String, Double> out = new TreeMap<>();
        result.credits().forEach(c -> out.put(c.channel(), c.conversions()));
        return out;
    }

    static Map<String, Double> values(AttributionResult result) {
        Map<String, Double> out = new TreeMap<>();
        result.credits().forEach(c -> out.put(c.channel(), c.value()));
        return out;
    }

    static void assertCredits(Map<String, Double> expected, Map<String, Double> actual) {
        assertEquals(expected.keySet(), actual.keySet(), "channels");
        expected.forEach((k, v) -> assertEquals(v, actual.get(k), EPS, k));
    }
}
