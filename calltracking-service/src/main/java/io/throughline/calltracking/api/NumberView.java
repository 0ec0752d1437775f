package io.throughline.calltracking.api;

import io.throughline.calltracking.domain.PhoneDisplay;
import io.throughline.calltracking.store.Numbers;
import java.time.Instant;

public record NumberView(String id, String kind, String e164, String display, String siteKey, String poolId, String label, String channel,
        String matchSource, String matchMedium, String matchCampaign, boolean active, Instant createdAt) {

    static NumberView of(Numbers.Number n) {
        return new NumberView(n.id().toString(), n.kind(), n.e164(), PhoneDisplay.format(n.e164(), null), n.siteKey(),
                n.poolId() == null ? null : n.poolId().toString(), n.label(), n.channel(), n.matchSource(), n.matchMedium(), n.matchCampaign(),
                n.active(), n.createdAt());
    }
}
