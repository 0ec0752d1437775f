package io.throughline.attribution.domain.models;

import static io.throughline.attribution.domain.models.ModelFixtures.CONVERSION;
import static io.throughline.attribution.domain.models.ModelFixtures.assertCredits;
import static io.throughline.attribution.domain.models.ModelFixtures.conversions;
import static io.throughline.attribution.domain.models.ModelFixtures.roles;
import static io.throughline.attribution.domain.models.ModelFixtures.row;
import static io.throughline.attribution.domain.models.ModelFixtures.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Worked examples of every rule-based model (weights computed by hand from design/attribution.md). */
class RuleBasedModelsTest {

    private static AttributionResult run(RuleBasedModel.Rule rule, PathRow... rows) {
        return RuleBasedModel.compute("test", List.of(rows), rule);
    }

    @Test
    void firstTouch() {
        assertCredits(Map.of("a", 2.0), conversions(run(Rules.firstTouch(), row("a,b,c", 2, 0, 200))));
        AttributionResult two = run(Rules.firstTouch(), row("b", 1, 0, 50), row("a,b", 3, 0, 30));
        assertCredits(Map.of("a", 3.0, "b", 1.0), conversions(two));
        assertCredits(Map.of("a", 30.0, "b", 50.0), values(two));
        // A row that did not convert gets nothing, and does not count in the totals.
        AttributionResult withNulls = run(Rules.firstTouch(), row("c", 0, 5, 0), row("a", 1, 2, 10));
        assertCredits(Map.of("a", 1.0), conversions(withNulls));
        assertEquals(1.0, withNulls.totalConversions());
    }

    @Test
    void lastTouch() {
        assertCredits(Map.of("c", 2.0), conversions(run(Rules.lastTouch(), row("a,b,c", 2, 0, 200))));
        assertCredits(Map.of("b", 4.0), conversions(run(Rules.lastTouch(), row("b", 1, 0, 50), row("a,b", 3, 0, 30))));
        assertCredits(Map.of("a", 1.0, "c", 2.0), conversions(run(Rules.lastTouch(), row("c,a", 1, 0, 0), row("a,c", 2, 0, 0))));
    }

    @Test
    void lastNonDirect() {
        RuleBasedModel.Rule rule = Rules.lastNonDirect(Set.of("direct"));
        assertCredits(Map.of("a", 1.0), conversions(run(rule, row("a,direct", 1, 0, 0))));
        // Only direct touches: the last touch keeps the credit.
        assertCredits(Map.of("direct", 2.0), conversions(run(rule, row("direct,direct", 2, 0, 0))));
        assertCredits(Map.of("b", 1.0), conversions(run(rule, row("a,b,direct,direct", 1, 0, 0))));
        assertCredits(Map.of("a", 1.0), conversions(run(Rules.lastNonDirect(Set.of("direct", "organic")), row("a,organic,direct", 1, 0, 0))));
    }

    @Test
    void linearCountsEveryTouch() {
        assertCredits(Map.of("a", 1.0, "b", 1.0), conversions(run(Rules.linear(), row("a,b", 2, 0, 0))));
        AttributionResult repeat = run(Rules.linear(), row("a,b,a", 3, 0, 90));
        assertCredits(Map.of("a", 2.0, "b", 1.0), conversions(repeat));
        assertCredits(Map.of("a", 60.0, "b", 30.0), values(repeat));
        assertCredits(Map.of("a", 2.0, "b", 1.0, "c", 1.0, "d", 1.0), conversions(run(Rules.linear(), row("a", 1, 0, 0), row("a,b,c,d", 4, 0, 0))));
    }

    @Test
    void positionBased() {
        RuleBasedModel.Rule u = Rules.positionBased(0.4, 0.2, 0.4);
        assertCredits(Map.of("a", 1.0), conversions(run(u, row("a", 1, 0, 0))));
        // Two touches: first and last prorated, 0.4 / 0.8 each; with 0.6 / 0.2 / 0.2: 0.75 and 0.25.
        assertCredits(Map.of("a", 0.5, "b", 0.5), conversions(run(u, row("a,b", 1, 0, 0))));
        assertCredits(Map.of("a", 0.75, "b", 0.25), conversions(run(Rules.positionBased(0.6, 0.2, 0.2), row("a,b", 1, 0, 0))));
        assertCredits(Map.of("a", 4.0, "b", 1.0, "c", 1.0, "d", 4.0), conversions(run(u, row("a,b,c,d", 10, 0, 0))));
        // The same channel first and last: the weights add up.
        assertCredits(Map.of("a", 0.8, "b", 0.2), conversions(run(u, row("a,b,a", 1, 0, 0))));
        ModelInputException bad = assertThrows(ModelInputException.class, () -> Rules.positionBased(0.5, 0.5, 0.5));
        assertEquals("params", bad.field());
        assertThrows(ModelInputException.class, () -> Rules.positionBased(1.2, -0.2, 0));
    }

    private static PathRow timed(String path, double conversions, Duration... before) {
        List<Instant> times = Arrays.stream(before).map(CONVERSION::minus).toList();
        return new PathRow(Arrays.asList(path.split(",")), conversions, 0, 0, times, CONVERSION, null);
    }

    @Test
    void timeDecayHalvesPerHalfLifeInContinuousTime() {
        RuleBasedModel.Rule decay = Rules.timeDecay(Duration.ofDays(7));
        // 7 days before vs at the conversion: 0.5 : 1 -> 1/3, 2/3.
        assertCredits(Map.of("a", 1.0 / 3, "b", 2.0 / 3), conversions(run(decay, timed("a,b", 1, Duration.ofDays(7), Duration.ZERO))));
        // Equal timestamps: equal weights.
        assertCredits(Map.of("a", 1.5, "b", 1.5), conversions(run(decay, timed("a,b", 3, Duration.ofHours(5), Duration.ofHours(5)))));
        // 14, 7 and 0 days: 0.25 : 0.5 : 1 -> 1/7, 2/7, 4/7.
        assertCredits(Map.of("a", 1.0 / 7, "b", 2.0 / 7, "c", 4.0 / 7),
                conversions(run(decay, timed("a,b,c", 1, Duration.ofDays(14), Duration.ofDays(7), Duration.ZERO))));
        // Half a half-life (3.5 days): 2^-0.5 : 1.
        double w = Math.pow(2, -0.5);
        assertCredits(Map.of("a", w / (1 + w), "b", 1 / (1 + w)), conversions(run(decay, timed("a,b", 1, Duration.ofHours(84), Duration.ZERO))));
        assertEquals("paths[0].touch_times[0]", assertThrows(ModelInputException.class,
                () -> run(decay, timed("a", 1, Duration.ofDays(-1)))).field());
        assertEquals("paths[0].touch_times", assertThrows(ModelInputException.class, () -> run(decay, row("a", 1, 0, 0))).field());
    }

    @Test
    void wShaped() {
        Set<String> none = Set.of();
        // First touch (0), lead (2), opportunity (3): 0.3 each; b and e share 0.1.
        assertCredits(Map.of("a", 0.3, "b", 0.05, "c", 0.3, "d", 0.3, "e", 0.05), conversions(run(Rules.wShaped(),
                roles("a,b,c,d,e", 1, List.of(none, none, Set.of("lead_creation"), Set.of("opportunity_creation"), none)))));
        // One touch holding every milestone: 0.9, normalized to 1.
        assertCredits(Map.of("a", 2.0), conversions(run(Rules.wShaped(),
                roles("a", 2, List.of(Set.of("first_touch", "lead_creation", "opportunity_creation"))))));
        // A touch holding two milestones gets both shares.
        assertCredits(Map.of("a", 0.3, "b", 0.6, "c", 0.1), conversions(run(Rules.wShaped(),
                roles("a,b,c", 1, List.of(none, Set.of("lead_creation", "opportunity_creation"), none)))));
        // No roles given: the first touch 0.3, the other 0.1 -> normalized 0.75 / 0.25.
        assertCredits(Map.of("a", 0.75, "b", 0.25), conversions(run(Rules.wShaped(), row("a,b", 1, 0, 0))));
    }

    @Test
    void fullPath() {
        Set<String> none = Set.of();
        assertCredits(Map.of("a", 0.225, "b", 0.225, "c", 0.225, "d", 0.1, "e", 0.225), conversions(run(Rules.fullPath(),
                roles("a,b,c,d,e", 1, List.of(none, Set.of("lead_creation"), Set.of("opportunity_creation"), none, Set.of("closed_won"))))));
        // Four milestones on four touches and no other touch: 0.9 normalized, 0.25 each.
        assertCredits(Map.of("a", 0.25, "b", 0.25, "c", 0.25, "d", 0.25), conversions(run(Rules.fullPath(),
                roles("a,b,c,d", 1, List.of(none, Set.of("lead_creation"), Set.of("opportunity_creation"), Set.of("closed_won"))))));
        assertCredits(Map.of("a", 0.25, "b", 0.5, "c", 0.25), conversions(run(Rules.fullPath(),
                roles("a,b,c", 1, List.of(Set.of("first_touch"), Set.of("lead_creation", "opportunity_creation"), Set.of("closed_won"))))));
    }
}
