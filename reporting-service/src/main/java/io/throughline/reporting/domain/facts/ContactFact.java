package io.throughline.reporting.domain.facts;

import java.time.Instant;

/**
 * One contact (a form lead, an inbound call, a CRM deal): who (identity's person, else the contact alone), when, the
 * site and campaign keys it came from, junk or not, and whether the person had already paid when it happened.
 */
public record ContactFact(String contactId, String kind, Instant at, String siteKey, Keys keys, String person, boolean junk, boolean returning) {
}
