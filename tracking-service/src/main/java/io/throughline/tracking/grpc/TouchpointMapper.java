package io.throughline.tracking.grpc;

import com.google.protobuf.Timestamp;
import io.throughline.commons.grpc.ProtoTimes;
import io.throughline.contracts.common.v1.Campaign;
import io.throughline.contracts.common.v1.Touchpoint;
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
