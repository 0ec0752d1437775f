package io.throughline.attribution.domain.models;

import java.util.List;
import java.util.Map;

/**
 * Credits per channel (conversions and value), their totals, and what explains them: for Markov the removal effects
 * and the transition matrix (state -> next state -> probability), for Shapley by conversion rate the Shapley values.
 */
public record AttributionResult(String model, List<Credit> credits, double totalConversions, double totalValue, Map<String, Double> removalEffects,
        Map<String, Map<String, Double>> transitionMatrix, Map<String, Double> shapleyValues) {

    public record Credit(String channel, double conversions, double value) {
    }
}
