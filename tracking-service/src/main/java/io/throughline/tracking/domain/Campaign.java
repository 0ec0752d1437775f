package io.throughline.tracking.domain;

import java.util.Objects;

/**
 * The campaign a visit came from: UTM tags as the advertiser wrote them, or what the visit implies when it
 * carries none (a click id's platform, the referring search engine or site, or direct).
 */
public record Campaign(String source, String medium, String campaign, String term, String content, String utmId) {

    public static final String DIRECT_SOURCE = "(direct)";
    public static final String NO_MEDIUM = "(none)";
    public static final Campaign DIRECT = new Campaign(DIRECT_SOURCE, NO_MEDIUM, null, null, null, null);

    /** Source, medium and campaign: what must stay the same for hits to continue one session. */
    public boolean sameOrigin(Campaign other) {
        return other != null && Objects.equals(source, other.source) && Objects.equals(medium, other.medium)
                && Objects.equals(campaign, other.campaign);
    }
}
