package io.throughline.identity.store;

import io.throughline.identity.domain.IdentifierType;
import java.time.Instant;
import java.util.UUID;

/** One identifier node as stored. */
public record GraphNode(long id, IdentifierType type, String matchKey, UUID person, String value, byte[] sealed,
        boolean quarantined, Instant firstSeen, Instant lastSeen) {
}
