package io.throughline.attribution.domain.models;

import static io.throughline.attribution.domain.models.ModelFixtures.EPS;
import static io.throughline.attribution.domain.models.ModelFixtures.assertCredits;
import static io.throughline.attribution.domain.models.ModelFixtures.conversions;
import static io.throughline.attribution.domain.models.ModelFixtures.row;
import static io.throughline.attribution.domain.models.ModelFixtures.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Worked examples of the exact Markov chain and of Shapley set coverage. */
class DataDrivenModelsTest {

    @Test
    void markovOrderOneSolvedByHand() {
        // start->a 2, start->b 2; a->b 1, a->null 1; b->conv 2, b->null 1.
        // P(b) = 2/3, P(a) = 1/2 x 2/3 = 1/3, P = 1/2 x 1/3 + 1/2 x 2/3 = 1/2.
        // Without a: 1/2 x 2/3 = 1/3 -> RE(a) = 1/3; without b: 0 -> RE(b) = 1. Shares 1/4 and 3/4 of 2 conversions.
        AttributionResult r = MarkovModel.compute(List.of(row("a,b", 1, 0, 100), row("a", 0, 1, 0), row("b", 1, 1, 50)), 1);
        assertCredits(Map.of("a", 0.5, "b", 1.5), conversions(r));
        assertCredits(Map.of("a", 37.5, "b", 112.5), values(r));
        assertEquals(1.0 / 3, r.removalEffects().get("a"), EPS);
        assertEquals(1.0, r.removalEffects().get("b"), EPS);
        assertEquals(0.5, r.transitionMatrix().get(MarkovModel.START).get("a"), EPS);
        assertEquals(2.0 / 3, r.transitionMatrix().get("b").get(MarkovModel.CONVERSION), EPS);
        assertEquals(0.5, r.transitionMatrix().get("a").get(MarkovModel.NULL), EPS);
    }

    @Test
    void markovCollapsesRepeatsAndCreditsEveryNecessaryChannelEqually() {
        // a -> a -> b is a -> b: both channels are necessary (RE 1 each): half each.
        assertCredits(Map.of("a", 0.5, "b", 0.5), conversions(MarkovModel.compute(List.of(row("a,a,b", 1, 0, 0)), 1)));
        // Two independent converting paths of equal weight: removing either halves P(conv) -> equal credit.
        assertCredits(Map.of("a", 1.0, "b", 1.0), conversions(MarkovModel.compute(List.of(row("a", 1, 0, 0), row("b", 1, 0, 0)), 1)));
    }

    @Test
    void markovOrderTwoUsesWindowsOfTwoChannels() {
        // States a>b, b>c (first path) and a>c (a path as long as the order is one state).
        // P = 1/2 x 1 + 1/2 x 0 = 1/2; removing any channel breaks the only converting path: RE 1 each, 1/3 each.
        AttributionResult r = MarkovModel.compute(List.of(row("a,b,c", 1, 0, 0), row("a,c", 0, 1, 0)), 2);
        assertCredits(Map.of("a", 1.0 / 3, "b", 1.0 / 3, "c", 1.0 / 3), conversions(r));
        assertTrue(r.transitionMatrix().containsKey("a > b"), r.transitionMatrix().toString());
        assertEquals(List.of(List.of("a", "b"), List.of("b", "c")), MarkovModel.states(List.of("a", "b", "c"), 2));
        assertEquals(List.of(List.of("a")), MarkovModel.states(List.of("a"), 3));
    }

    @Test
    void markovRefusesDataWithoutConversionsAndBadOrders() {
        ModelInputException none = assertThrows(ModelInputException.class, () -> MarkovModel.compute(List.of(row("a,b", 0, 3, 0)), 1));
        assertTrue(none.unprocessable());
        assertEquals("paths", none.field());
        assertEquals("params.order", assertThrows(ModelInputException.class, () -> MarkovModel.compute(List.of(row("a", 1, 0, 0)), 5)).field());
    }

    @Test
    void shapleySetCoverageSplitsEachJourneyOverItsDistinctChannels() {
        assertCredits(Map.of("a", 1.0, "b", 1.0), conversions(ShapleyModel.setCoverage(List.of(row("a,b", 2, 0, 0)))));
        AttributionResult repeat = ShapleyModel.setCoverage(List.of(row("a,b,a", 3, 0, 30)));
        assertCredits(Map.of("a", 1.5, "b", 1.5), conversions(repeat));
        assertCredits(Map.of("a", 15.0, "b", 15.0), values(repeat));
        assertCredits(Map.of("a", 2.0, "b", 1.0, "c", 1.0),
                conversions(ShapleyModel.setCoverage(List.of(row("a", 1, 0, 0), row("a,b,c", 3, 0, 0), row("c", 0, 4, 0)))));
    }

    @Test
    void shapleyByConversionRateWorkedByHand() {
        // CR({a}) = 1/4, CR({b}) = 1/2, CR({a,b}) = 3/4; worth(a) = .25, worth(b) = .5, worth(ab) = 1.5.
        // phi(a) = 1/2 x .25 + 1/2 x (1.5 - .5) = .625; phi(b) = 1/2 x .5 + 1/2 x (1.5 - .25) = .875; 5 conversions split .625 : .875.
        AttributionResult r = ShapleyModel.conversionRate(List.of(row("a", 1, 3, 0), row("b", 1, 1, 0), row("a,b,a", 3, 1, 0)), 1000, 42);
        assertEquals(0.625, r.shapleyValues().get("a"), EPS);
        assertEquals(0.875, r.shapleyValues().get("b"), EPS);
        assertCredits(Map.of("a", 5 * 0.625 / 1.5, "b", 5 * 0.875 / 1.5), conversions(r));
        // Symmetric channels share equally.
        assertCredits(Map.of("a", 1.0, "b", 1.0), conversions(ShapleyModel.conversionRate(List.of(row("a", 1, 1, 0), row("b", 1, 1, 0)), 1000, 42)));
        // worth(S) = .5 [a in S] + .5 [S = abc]: phi(a) = .5 + .5/3, phi(b) = phi(c) = .5/3; 2 conversions.
        AttributionResult three = ShapleyModel.conversionRate(List.of(row("a,b,c", 1, 1, 0), row("a", 1, 1, 0)), 1000, 42);
        assertCredits(Map.of("a", 2 * (0.5 + 0.5 / 3), "b", 2 * (0.5 / 3), "c", 2 * (0.5 / 3)), conversions(three));
    }

    @Test
    void shapleyByConversionRateAboveTheExactLimitIsSampledWithAFixedSeed() {
        // 17 channels, each converting alone at rate (i + 1) / 20: the worth is additive, so every order gives each
        // channel exactly its own rate, sampled or not.
        java.util.List<PathRow> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 17; i++) {
            rows.add(row(String.format("c%02d", i), i + 1, 19 - i, 0));
        }
        AttributionResult r = ShapleyModel.conversionRate(rows, 200, 7);
        for (int i = 0; i < 17; i++) {
            assertEquals((i + 1) / 20.0, r.shapleyValues().get(String.format("c%02d", i)), EPS);
        }
        // Not additive (two channels only convert together): the same seed gives the same estimate.
        rows.add(row("c00,c01", 5, 5, 0));
        assertEquals(ShapleyModel.conversionRate(rows, 300, 11).credits(), ShapleyModel.conversionRate(rows, 300, 11).credits());
        assertEquals("paths", assertThrows(ModelInputException.class, () -> ShapleyModel.conversionRate(List.of(row("a", 0, 4, 0)), 10, 1))
                .field());
    }
}
