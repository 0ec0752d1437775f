package io.throughline.calltracking.domain;

/** What calltracking needs to know of a site that tracking-service owns. */
public record TrackedSite(String publicKey, String tenantId, String defaultPhoneRegion) {
}
