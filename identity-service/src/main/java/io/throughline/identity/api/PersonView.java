package io.throughline.identity.api;

import java.time.Instant;
import java.util.List;

/** A person explained: every identifier (personal ones masked), the edges that link them, and the log. */
public record PersonView(String id, String requestedId, Instant createdAt, String verdict, Instant firstPaidAt, int payments,
        List<IdentifierView> identifiers, List<EdgeView> edges, List<LogView> log) {

    public record IdentifierView(long id, String type, String matchKey, String value, boolean quarantined,
            Instant firstSeen, Instant lastSeen) {
    }

    public record EdgeView(long id, long from, long to, String source, String eventId, Instant firstSeen, Instant lastSeen) {
    }

    public record LogView(Instant at, String kind, List<String> others, String detail) {
    }
}
