package io.throughline.tracking.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One accepted event as the store keeps it: where and when it happened, where the visit came from (page views),
 * the device, masked contacts (leads), and the junk reasons found. Raw contacts travel only to identity-service.
 */
public record Hit(String eventId, String tenantId, String siteId, String visitorId, EventType type, Instant occurredAt,
        Instant receivedAt, String url, String path, String title, String referrer, TrafficSource source, String deviceClass,
        String userAgent, String ipPrefix, String gaCookie, String ymUid, Lead lead, CollectedBatch.Contacts contacts,
        String eventName, Map<String, Object> props, List<JunkReason> reasons) {

    public Hit {
        reasons = List.copyOf(reasons);
        props = props == null ? Map.of() : props;
    }

    /** The lead a form or {@code throughline('lead')} produced, with contacts masked for display. */
    public record Lead(String form, String email, String phone, boolean named, Long fillMs) {
    }

    public boolean botFlagged() {
        return reasons.stream().anyMatch(JunkReason::bot);
    }

    public boolean excluded() {
        return !reasons.isEmpty();
    }

    public Hit withReason(JunkReason reason) {
        if (reasons.contains(reason)) {
            return this;
        }
        List<JunkReason> more = new java.util.ArrayList<>(reasons);
        more.add(reason);
        return new Hit(eventId, tenantId, siteId, visitorId, type, occurredAt, receivedAt, url, path, title, referrer, source,
                deviceClass, userAgent, ipPrefix, gaCookie, ymUid, lead, contacts, eventName, props, more);
    }
}
