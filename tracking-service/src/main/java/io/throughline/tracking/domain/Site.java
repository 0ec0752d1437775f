package io.throughline.tracking.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A website of a workspace that embeds t.js with its public key. */
public record Site(UUID id, String tenantId, String publicKey, String name, List<String> domains,
        String defaultPhoneRegion, boolean consentRequired, Instant createdAt) {
}
