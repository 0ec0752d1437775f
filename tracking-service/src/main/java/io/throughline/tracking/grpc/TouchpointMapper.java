package io.throughline.tracking.grpc;

import com.google.protobuf.Timestamp;
import io.throughline.commons.grpc.ProtoTimes;
import io.throughline.contracts.common.v1.Campaign;
import io.throughline.contracts.common.v1.Touchpoint;
import io.throughline.contracts.tracking.v1.Contact;
import io.throughline.contracts.tracking.v1.Site;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/** Session documents and sites as the v1 contract carries them. */
final class TouchpointMapper {

    private TouchpointMapper() {
    }

    static Touchpoint touchpoint(Document s) {
        Touchpoint.Builder t = Touchpoint.newBuilder()
                .setTouchpointId(s.getString("_id"))
                .setKind(Touchpoint.Kind.KIND_SESSION)
                .setVisitorId(text(s, "visitor_id"))
                .setChannel(text(s, "channel"))
                .setLandingPage(text(s, "landing_page"))
                .setReferrer(text(s, "referrer"))
                .setDeviceClass(text(s, "device_class"))
                .setExcluded(s.getBoolean("excluded", false));
        if (s.getDate("started_at") != null) {
            t.setStartedAt(timestamp(s.getDate("started_at")));
        }
        if (s.getDate("last_hit_at") != null) {
            t.setEndedAt(timestamp(s.getDate("last_hit_at")));
        }
        Document campaign = s.get("campaign", Document.class);
        if (campaign != null) {
            t.setCampaign(Campaign.newBuilder().setSource(text(campaign, "source")).setMedium(text(campaign, "medium"))
                    .setCampaign(text(campaign, "campaign")).setTerm(text(campaign, "term"))
                    .setContent(text(campaign, "content")).setUtmId(text(campaign, "utm_id")));
        }
        Document clickIds = s.get("click_ids", Document.class);
        if (clickIds != null) {
            for (Map.Entry<String, Object> e : clickIds.entrySet()) {
                t.putClickIds(e.getKey(), String.valueOf(e.getValue()));
            }
        }
        List<String> reasons = s.getList("exclusion_reasons", String.class);
        if (reasons != null) {
            t.addAllExclusionReasons(reasons);
        }
        return t.build();
    }

    /** A stored lead with the keys of its session; junk when the lead or its session was flagged. */
    static Contact contact(Document c, Document session, Map<String, String> siteKeys) {
        boolean botSession = session != null && session.getBoolean("excluded", false);
        Contact.Builder out = Contact.newBuilder().setTenantId(text(c, "tenant_id")).setContactId(text(c, "_id")).setKind("form")
                .setSiteId(text(c, "site_id")).setSiteKey(siteKeys.getOrDefault(text(c, "site_id"), ""))
                .setJunk(c.getBoolean("junk", false) || botSession).setPersonId(text(c, "person_id")).setVerdict(text(c, "verdict"));
        if (c.getDate("occurred_at") != null) {
            out.setOccurredAt(timestamp(c.getDate("occurred_at")));
        }
        java.util.Set<String> reasons = new java.util.TreeSet<>();
        List<String> own = c.getList("junk_reasons", String.class);
        if (own != null) {
            reasons.addAll(own);
        }
        if (session != null) {
            out.setChannel(text(session, "channel"));
            Document campaign = session.get("campaign", Document.class);
            if (campaign != null) {
                out.setCampaign(Campaign.newBuilder().setSource(text(campaign, "source")).setMedium(text(campaign, "medium"))
                        .setCampaign(text(campaign, "campaign")).setTerm(text(campaign, "term")).setContent(text(campaign, "content")));
            }
            List<String> sessionReasons = session.getList("exclusion_reasons", String.class);
            if (botSession && sessionReasons != null) {
                reasons.addAll(sessionReasons);
            }
        }
        return out.addAllJunkReasons(reasons).build();
    }

    static Site site(io.throughline.tracking.domain.Site site) {
        return Site.newBuilder().setSiteId(site.id().toString()).setTenantId(site.tenantId())
                .setPublicKey(site.publicKey()).setName(site.name()).addAllDomains(site.domains())
                .setDefaultPhoneRegion(site.defaultPhoneRegion()).setConsentRequired(site.consentRequired()).build();
    }

    private static Timestamp timestamp(Date date) {
        return ProtoTimes.timestamp(date.toInstant());
    }

    private static String text(Document d, String key) {
        Object value = d.get(key);
        return value == null ? "" : value.toString();
    }
}
