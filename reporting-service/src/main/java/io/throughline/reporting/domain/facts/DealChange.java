package io.throughline.reporting.domain.facts;

import java.time.Instant;

/** A deal as attribution's change feed brings it (its journey comes apart, from the runs). */
public record DealChange(DealFact fact, Instant changedAt, String crm) {
}
