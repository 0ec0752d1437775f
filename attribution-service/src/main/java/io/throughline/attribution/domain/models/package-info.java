/**
 * Attribution models over path tables (journeys aggregated by their channel sequence), pure Java: rule-based
 * models, the exact Markov chain with removal effects, and Shapley values. As decided in design/attribution.md.
 */
package io.throughline.attribution.domain.models;
