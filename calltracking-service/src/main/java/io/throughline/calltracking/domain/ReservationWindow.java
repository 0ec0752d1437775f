package io.throughline.calltracking.domain;

import java.time.Instant;
import java.util.UUID;

/** A number's reservation as matching sees it: who held it, from when, until the last sign of life plus the hold. */
public record ReservationWindow(UUID reservationId, String visitorId, String sessionId, Instant assignedAt, Instant lastSeenAt,
        int holdSeconds, boolean overflow) {

    public Instant heldUntil() {
        return lastSeenAt.plusSeconds(holdSeconds);
    }
}
