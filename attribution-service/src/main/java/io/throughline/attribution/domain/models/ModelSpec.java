package io.throughline.attribution.domain.models;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A model and its parameters, as the compute endpoint and attribution runs name them. Absent parameters take the
 * defaults of design/attribution.md: position-based 0.4 / 0.2 / 0.4, time-decay half-life 7 days, Markov order 1,
 * direct-like channels {direct}, Shapley sampling 10,000 orders with seed 42 above the exact limit.
 */
public record ModelSpec(String model, Double first, Double middle, Double last, Double halfLifeDays, Integer order, Set<String> directChannels,
        Integer samples, Long seed) {

    public static final List<String> MODELS = List.of("first_touch", "last_touch", "last_non_direct", "linear", "position_based", "time_decay",
            "w_shaped", "full_path", "markov", "shapley", "shapley_conversion_rate");

    /** Refuses an unknown model before any path is read. */
    public ModelSpec validate() {
        if (model == null || !MODELS.contains(model)) {
            throw ModelInputException.invalid("model", "must be one of " + String.join(", ", MODELS));
        }
        return this;
    }

    public AttributionResult compute(List<PathRow> paths) {
        validate();
        return switch (model) {
            case "markov" -> MarkovModel.compute(paths, order == null ? 1 : order);
            case "shapley" -> ShapleyModel.setCoverage(paths);
            case "shapley_conversion_rate" -> {
                int n = samples == null ? 10_000 : samples;
                if (n < 100 || n > 1_000_000) {
                    throw ModelInputException.invalid("params.samples", "must be between 100 and 1000000");
                }
                yield ShapleyModel.conversionRate(paths, n, seed == null ? 42 : seed);
            }
            default -> RuleBasedModel.compute(model, paths, rule());
        };
    }

    /** Refuses an unknown model or a parameter out of range without any path (settings and runs check their specs so). */
    public ModelSpec check() {
        if (ruleBased()) {
            rule();
        } else if (order != null && (order < 1 || order > 4)) {
            throw ModelInputException.invalid("params.order", "must be 1, 2, 3 or 4");
        } else if (samples != null && (samples < 100 || samples > 1_000_000)) {
            throw ModelInputException.invalid("params.samples", "must be between 100 and 1000000");
        }
        return this;
    }

    /**
     * The name of this model with its parameters, which names a series of runs: "linear", "markov(order=2)",
     * "position_based(first=0.3,middle=0.4,last=0.3)".
     */
    public String series() {
        java.util.List<String> p = new java.util.ArrayList<>();
        param(p, "first", first);
        param(p, "middle", middle);
        param(p, "last", last);
        param(p, "half_life_days", halfLifeDays);
        param(p, "order", order);
        param(p, "direct_channels", directChannels == null ? null : String.join("|", new java.util.TreeSet<>(directChannels)));
        param(p, "samples", samples);
        param(p, "seed", seed);
        return p.isEmpty() ? model : model + "(" + String.join(",", p) + ")";
    }

    private static void param(java.util.List<String> out, String name, Object value) {
        if (value != null) {
            out.add(name + "=" + value);
        }
    }

    /** True for the models that weigh each journey on its own (everything but markov and the Shapley models). */
    public boolean ruleBased() {
        validate();
        return !List.of("markov", "shapley", "shapley_conversion_rate").contains(model);
    }

    /** The rule of a rule-based model, its parameters checked. */
    public RuleBasedModel.Rule rule() {
        return switch (model) {
            case "first_touch" -> Rules.firstTouch();
            case "last_touch" -> Rules.lastTouch();
            case "last_non_direct" -> Rules.lastNonDirect(directChannels == null || directChannels.isEmpty() ? Set.of("direct") : directChannels);
            case "linear" -> Rules.linear();
            case "position_based" -> Rules.positionBased(first == null ? 0.4 : first, middle == null ? 0.2 : middle, last == null ? 0.4 : last);
            case "time_decay" -> {
                double days = halfLifeDays == null ? 7 : halfLifeDays;
                if (!(days > 0) || days > 3650) {
                    throw ModelInputException.invalid("params.half_life_days", "must be > 0 and at most 3650");
                }
                yield Rules.timeDecay(Duration.ofMillis(Math.round(days * 86_400_000)));
            }
            case "w_shaped" -> Rules.wShaped();
            case "full_path" -> Rules.fullPath();
            default -> throw new IllegalStateException(model);
        };
    }
}
