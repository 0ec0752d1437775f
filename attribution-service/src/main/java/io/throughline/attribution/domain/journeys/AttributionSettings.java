package io.throughline.attribution.domain.journeys;

import io.throughline.attribution.domain.models.ModelSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A workspace's attribution settings: what converts and how journeys are cut, the models the scheduled job keeps
 * attributed (their runs are versioned series), the default one (reports and gRPC queries without a run id), and
 * gross margins per product line for deals without a cost of goods.
 */
public record AttributionSettings(JourneySettings journeys, List<ModelSpec> models, String defaultSeries, Map<String, Double> margins) {

    public static final AttributionSettings DEFAULTS = new AttributionSettings(JourneySettings.DEFAULTS,
            List.of(spec("last_non_direct"), spec("first_touch"), spec("linear"), spec("markov")), "last_non_direct", Map.of());

    public AttributionSettings {
        models = List.copyOf(models);
        margins = Map.copyOf(margins);
    }

    /** Gross profit as a share of revenue: 1 - cost / amount when the deal has both, else the product line's margin, else 1. */
    public double grossRatio(Long costMinor, long amountMinor, String productLine) {
        if (costMinor != null && amountMinor > 0) {
            return 1 - (double) costMinor / amountMinor;
        }
        Double margin = productLine == null ? null : margins.get(productLine);
        return margin == null ? 1 : margin / 100;
    }

    private static ModelSpec spec(String model) {
        return new ModelSpec(model, null, null, null, null, null, (Set<String>) null, null, null);
    }
}
