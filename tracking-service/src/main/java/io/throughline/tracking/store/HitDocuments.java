package io.throughline.tracking.store;

import io.throughline.tracking.domain.Campaign;
import io.throughline.tracking.domain.Hit;
import io.throughline.tracking.domain.JunkReason;
import io.throughline.tracking.domain.TrafficSource;
import io.throughline.tracking.domain.VisitorState;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/** Hits, sessions and visitor states as MongoDB documents (snake_case, UTC dates, absent fields left out). */
final class HitDocuments {

    private HitDocuments() {
    }

    static String hitKey(String tenantId, String eventId) {
        return tenantId + ":" + eventId;
    }

    static String visitorKey(String tenantId, String visitorId) {
        return tenantId + ":" + visitorId;
    }

    static Document hit(Hit h, String sessionId) {
        Document d = new Document("_id", hitKey(h.tenantId(), h.eventId()))
                .append("tenant_id", h.tenantId())
                .append("site_id", h.siteId())
                .append("visitor_id", h.visitorId())
                .append("session_id", sessionId)
                .append("event_id", h.eventId())
                .append("type", h.type().code())
                .append("occurred_at", Date.from(h.occurredAt()))
                .append("received_at", Date.from(h.receivedAt()));
        put(d, "url", h.url());
        put(d, "path", h.path());
        put(d, "title", h.title());
        put(d, "referrer", h.referrer());
        if (h.source() != null) {
            d.append("source", source(h.source()));
        }
        put(d, "device_class", h.deviceClass());
        put(d, "user_agent", h.userAgent());
        put(d, "ip_prefix", h.ipPrefix());
        put(d, "ga_cookie", h.gaCookie());
        put(d, "ym_uid", h.ymUid());
        if (h.lead() != null) {
            Document lead = new Document();
            put(lead, "form", h.lead().form());
            put(lead, "email", h.lead().email());
            put(lead, "phone", h.lead().phone());
            lead.append("named", h.lead().named());
            if (h.lead().fillMs() != null) {
                lead.append("fill_ms", h.lead().fillMs());
            }
            d.append("lead", lead);
        }
        put(d, "name", h.eventName());
        if (!h.props().isEmpty()) {
            d.append("props", new Document(h.props()));
        }
        d.append("excluded", h.excluded());
        if (h.excluded()) {
            d.append("exclusion_reasons", codes(h.reasons()));
        }
        return d;
    }

    static Document source(TrafficSource s) {
        Document d = new Document("kind", s.kind().name().toLowerCase(java.util.Locale.ROOT))
                .append("channel", s.channel())
                .append("campaign", campaign(s.campaign()));
        if (!s.clickIds().isEmpty()) {
            d.append("click_ids", new Document(Map.copyOf(s.clickIds())));
        }
        if (!s.otherParams().isEmpty()) {
            d.append("params", new Document(Map.copyOf(s.otherParams())));
        }
        put(d, "referrer_host", s.referrerHost());
        return d;
    }

    static Document campaign(Campaign c) {
        Document d = new Document();
        put(d, "source", c.source());
        put(d, "medium", c.medium());
        put(d, "campaign", c.campaign());
        put(d, "term", c.term());
        put(d, "content", c.content());
        put(d, "utm_id", c.utmId());
        return d;
    }

    static Campaign campaign(Document d) {
        if (d == null) {
            return Campaign.DIRECT;
        }
        return new Campaign(d.getString("source"), d.getString("medium"), d.getString("campaign"), d.getString("term"),
                d.getString("content"), d.getString("utm_id"));
    }

    /** A visitor's state, with the hits it claimed lately ("event id|session id") so concurrent duplicates count once. */
    static Document visitor(String tenantId, String visitorId, VisitorState s, long version, List<String> claims) {
        return new Document("_id", visitorKey(tenantId, visitorId))
                .append("claims", claims)
                .append("tenant_id", tenantId)
                .append("visitor_id", visitorId)
                .append("session_id", s.sessionId())
                .append("session_started_at", Date.from(s.sessionStartedAt()))
                .append("last_hit_at", Date.from(s.lastHitAt()))
                .append("campaign", campaign(s.campaign()))
                .append("click_ids", new Document(Map.copyOf(s.clickIds())))
                .append("rate_window_start", Date.from(s.rateWindowStart()))
                .append("rate_count", s.rateCount())
                .append("version", version);
    }

    static VisitorState visitorState(Document d) {
        Document clicks = d.get("click_ids", Document.class);
        Map<String, String> clickIds = new java.util.HashMap<>();
        if (clicks != null) {
            clicks.forEach((k, v) -> clickIds.put(k, String.valueOf(v)));
        }
        return new VisitorState(d.getString("session_id"), instant(d, "session_started_at"), instant(d, "last_hit_at"),
                campaign(d.get("campaign", Document.class)), clickIds, instant(d, "rate_window_start"), d.getInteger("rate_count", 0));
    }

    static List<String> codes(List<JunkReason> reasons) {
        return reasons.stream().map(JunkReason::code).toList();
    }

    static Instant instant(Document d, String field) {
        Date date = d.getDate(field);
        return date == null ? null : date.toInstant();
    }

    static void put(Document d, String key, Object value) {
        if (value != null) {
            d.append(key, value);
        }
    }
}
