package io.throughline.tracking.domain;

import java.time.Instant;
import java.util.Map;

/**
 * What the collector remembers of a visitor between hits: the current session and its origin, when the last
 * hit came, and how many hits came in the current minute (for the impossible-rate signal).
 */
public record VisitorState(String sessionId, Instant sessionStartedAt, Instant lastHitAt, Campaign campaign,
        Map<String, String> clickIds, Instant rateWindowStart, int rateCount) {

    public VisitorState {
        clickIds = clickIds == null ? Map.of() : Map.copyOf(clickIds);
    }
}
