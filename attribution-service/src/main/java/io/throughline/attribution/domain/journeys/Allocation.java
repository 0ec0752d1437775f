package io.throughline.attribution.domain.journeys;

import io.throughline.attribution.domain.models.AttributionResult;
import io.throughline.attribution.domain.models.ModelSpec;
import io.throughline.attribution.domain.models.PathRow;
import io.throughline.attribution.domain.models.RuleBasedModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a model's weights into per-touch credit lines. Rule-based models weigh each converting journey on its own.
 * Data-driven models are fitted on every journey (converting ones as conversions, the others as nulls); each
 * converting journey's distinct channels then share its conversion in proportion to their removal effect (Markov),
 * Shapley value (by conversion rate) or equally (set coverage), a channel's share split equally over its touches.
 * A journey without touches is credited to {@link Touch#NO_TOUCHPOINT}.
 */
public final class Allocation {

    /** The lines, and for data-driven models the fitted model (removal effects, transition matrix, channel totals). */
    public record Result(List<CreditLine> lines, AttributionResult fitted) {
    }

    private Allocation() {
    }

    public static Result allocate(ModelSpec spec, List<Journey> journeys) {
        List<CreditLine> lines = new ArrayList<>();
        if (spec.ruleBased()) {
            RuleBasedModel.Rule rule = spec.rule();
            for (Journey j : journeys) {
                if (j.converted()) {
                    List<Touch> touches = touchesOf(j);
                    double[] w = j.touches().isEmpty() ? new double[] {1} : rule.weights(path(j, 1, 0), 0);
                    emit(lines, j, touches, w);
                }
            }
            return new Result(lines, null);
        }
        List<PathRow> rows = new ArrayList<>();
        for (Journey j : journeys) {
            if (j.converted() || !j.touches().isEmpty()) {
                rows.add(path(j, j.converted() ? 1 : 0, j.converted() ? 0 : 1));
            }
        }
        AttributionResult fitted = spec.compute(rows);
        Map<String, Double> channelWeight = switch (spec.model()) {
            case "markov" -> fitted.removalEffects();
            case "shapley_conversion_rate" -> fitted.shapleyValues();
            default -> Map.of();
        };
        for (Journey j : journeys) {
            if (j.converted()) {
                List<Touch> touches = touchesOf(j);
                emit(lines, j, touches, shares(touches, channelWeight));
            }
        }
        return new Result(lines, fitted);
    }

    /** Each distinct channel's weight normalized over the journey (equal when none is known), split over its touches. */
    private static double[] shares(List<Touch> touches, Map<String, Double> channelWeight) {
        Map<String, Integer> count = new LinkedHashMap<>();
        touches.forEach(t -> count.merge(t.channel(), 1, Integer::sum));
        double sum = 0;
        for (String c : count.keySet()) {
            sum += Math.max(0, channelWeight.getOrDefault(c, 0.0));
        }
        double[] w = new double[touches.size()];
        for (int i = 0; i < w.length; i++) {
            String c = touches.get(i).channel();
            double channelShare = sum > 0 ? Math.max(0, channelWeight.getOrDefault(c, 0.0)) / sum : 1.0 / count.size();
            w[i] = channelShare / count.get(c);
        }
        return w;
    }

    private static List<Touch> touchesOf(Journey j) {
        return j.touches().isEmpty() ? List.of(Touch.none(j.conversionAt())) : j.touches();
    }

    private static PathRow path(Journey j, double conversions, double nulls) {
        List<Touch> touches = j.converted() ? touchesOf(j) : j.touches();
        List<String> channels = touches.stream().map(Touch::channel).toList();
        List<java.time.Instant> times = touches.stream().map(Touch::at).toList();
        return new PathRow(channels, conversions, nulls, conversions > 0 ? j.deal().netMinor() : 0, times, j.endsAt(),
                j.touches().isEmpty() ? null : j.roles());
    }

    private static void emit(List<CreditLine> lines, Journey j, List<Touch> touches, double[] w) {
        DealFacts d = j.deal();
        for (int i = 0; i < touches.size(); i++) {
            if (w[i] == 0) {
                continue;
            }
            Touch t = touches.get(i);
            lines.add(new CreditLine(d.id(), "conversion", "", j.conversionAt(), i, t, w[i], w[i], d.currency(), 0, 0));
            for (DealFacts.MoneyEvent m : d.money()) {
                double revenue = w[i] * m.amountMinor();
                lines.add(new CreditLine(d.id(), m.kind(), m.id(), m.at(), i, t, w[i], 0, d.currency(), revenue, revenue * d.grossRatio()));
            }
        }
    }
}
