package io.throughline.tracking.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/** A stored hit as the explorer shows it (contacts masked). */
public record HitView(String eventId, String sessionId, String siteId, String visitorId, String type, Instant occurredAt,
        Instant receivedAt, int seq, String url, String title, String referrer, SourceView source, String deviceClass, LeadView lead,
        String name, Map<String, Object> props, boolean excluded, List<String> exclusionReasons) {

    /** Where a page view came from. */
    public record SourceView(String kind, String channel, SessionView.CampaignView campaign, Map<String, Object> clickIds,
            Map<String, Object> params, String referrerHost) {
    }

    /** A lead's form and masked contacts. */
    public record LeadView(String form, String email, String phone, boolean named, Long fillMs) {
    }

    static HitView of(Document d) {
        Document s = d.get("source", Document.class);
        SourceView source = s == null ? null : new SourceView(s.getString("kind"), s.getString("channel"),
                SessionView.CampaignView.of(s.get("campaign", Document.class)), SessionView.map(s, "click_ids"),
                SessionView.map(s, "params"), s.getString("referrer_host"));
        Document l = d.get("lead", Document.class);
        LeadView lead = l == null ? null : new LeadView(l.getString("form"), l.getString("email"), l.getString("phone"),
                l.getBoolean("named", false), l.get("fill_ms") instanceof Number n ? n.longValue() : null);
        return new HitView(d.getString("event_id"), d.getString("session_id"), d.getString("site_id"), d.getString("visitor_id"),
                d.getString("type"), SessionView.instant(d, "occurred_at"), SessionView.instant(d, "received_at"),
                SessionView.number(d, "seq"), d.getString("url"),
                d.getString("title"), d.getString("referrer"), source, d.getString("device_class"), lead, d.getString("name"),
                SessionView.map(d, "props"), d.getBoolean("excluded", false), d.getList("exclusion_reasons", String.class, List.of()));
    }
}
