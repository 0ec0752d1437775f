package io.throughline.tracking.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A batch as the collector accepted it: the envelope, and the events that passed validation. */
public record CollectedBatch(String siteKey, String visitorId, String sentAtRaw, String gaCookie, String ymUid,
        ClientInfo client, List<Event> events) {

    /** What the page's JavaScript reported about itself; null for server-side integrations. */
    public record ClientInfo(Integer screenWidth, Integer screenHeight, String timeZone, String language, boolean webdriver,
            String proof) {
    }

    /**
     * One valid event; {@code occurredAt} is already corrected for the client's clock; {@code page} is the parsed
     * address of a page view (parsed once, while validating).
     */
    public record Event(String eventId, EventType type, Instant occurredAt, String url, PageUrl page, String referrer, String title,
            String form, Contacts contacts, Long fillMs, boolean honeypot, String name, Map<String, Object> props) {
    }

    /** Contacts a lead or identify event carries, as typed (identity-service normalizes them). */
    public record Contacts(String email, String phone, String name, String userId) {
        public boolean isEmpty() {
            return email == null && phone == null && name == null && userId == null;
        }
    }
}
