package io.throughline.tracking.api;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/** A session (web touchpoint) as the explorer shows it. */
public record SessionView(String id, String siteId, String visitorId, Instant startedAt, Instant lastHitAt, String landingPage,
        String referrer, String referrerHost, String channel, CampaignView campaign, Map<String, Object> clickIds,
        Map<String, Object> params, String deviceClass, int hits, int pageviews, int leads, boolean excluded,
        List<String> exclusionReasons) {

    /** Source, medium, campaign, keyword and ad: UTM tags, or what a click id or referrer implied. */
    public record CampaignView(String source, String medium, String campaign, String term, String content, String utmId) {
        static CampaignView of(Document d) {
            return d == null ? null : new CampaignView(d.getString("source"), d.getString("medium"), d.getString("campaign"),
                    d.getString("term"), d.getString("content"), d.getString("utm_id"));
        }
    }

    static SessionView of(Document d) {
        return new SessionView(d.getString("_id"), d.getString("site_id"), d.getString("visitor_id"), instant(d, "started_at"),
                instant(d, "last_hit_at"), d.getString("landing_page"), d.getString("referrer"), d.getString("referrer_host"),
                d.getString("channel"), CampaignView.of(d.get("campaign", Document.class)), map(d, "click_ids"), map(d, "params"),
                d.getString("device_class"), number(d, "hits"), number(d, "pageviews"), number(d, "leads"),
                d.getBoolean("excluded", false), d.getList("exclusion_reasons", String.class, List.of()));
    }

    static Instant instant(Document d, String field) {
        Date date = d.getDate(field);
        return date == null ? null : date.toInstant();
    }

    static Map<String, Object> map(Document d, String field) {
        Document inner = d.get(field, Document.class);
        return inner == null || inner.isEmpty() ? null : Map.copyOf(inner);
    }

    static int number(Document d, String field) {
        Object v = d.get(field);
        return v instanceof Number n ? n.intValue() : 0;
    }
}
