package io.throughline.attribution.domain.models;

import java.util.List;

/**
 * A rule-based model: the rule gives each touch of a path a weight (the weights of one path sum to 1) and a
 * channel's credit is the sum of weight x conversions (and weight x value) over the converting rows. Rows without
 * conversions get no credit.
 */
public final class RuleBasedModel {

    /** The weights of a path's touches, in order; {@code row} is the path's index (for error messages). */
    @FunctionalInterface
    public interface Rule {
        double[] weights(PathRow path, int row);
    }

    private RuleBasedModel() {
    }

    public static AttributionResult compute(String model, List<PathRow> paths, Rule rule) {
        Credits credits = new Credits();
        for (int r = 0; r < paths.size(); r++) {
            PathRow path = paths.get(r);
            if (path.conversions() <= 0 && path.value() <= 0) {
                continue;
            }
            double[] w = rule.weights(path, r);
            for (int i = 0; i < w.length; i++) {
                if (w[i] != 0) {
                    credits.add(path.channels().get(i), w[i] * path.conversions(), w[i] * path.value());
                }
            }
        }
        return new AttributionResult(model, credits.list(), Credits.totalConversions(paths), Credits.totalValue(paths), null, null, null);
    }
}
