/**
 * Journeys and their credits, pure Java: a person's touches (sessions and calls) cut into one journey per deal by the
 * lookback window and the previous conversion, milestone roles assigned, and a model's weights turned into per-touch
 * credit lines (conversions, revenue, gross profit) for each money event of the deal.
 */
package io.throughline.attribution.domain.journeys;
