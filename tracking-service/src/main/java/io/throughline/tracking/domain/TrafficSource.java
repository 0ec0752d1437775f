package io.throughline.tracking.domain;

import java.util.Map;

/**
 * Where a page view came from: its effective campaign (UTM tags, or what a click id or referrer implies),
 * every click id it carried, the other landing parameters kept raw, the external referrer and the channel.
 */
public record TrafficSource(Kind kind, Campaign campaign, Map<String, String> clickIds, Map<String, String> otherParams,
        String referrerHost, String channel) {

    public enum Kind {
        /** UTM tags or a campaign alias. */
        TAGGED,
        /** An ad click id without tags. */
        CLICK_ID,
        /** A link from another site (search engine, social network, webmail, any other). */
        REFERRAL,
        /** A page of the site itself, or a referrer the rules ignore (payment pages, login providers). */
        INTERNAL,
        /** No referrer and no tags. */
        DIRECT;

        /** Whether a hit of this kind names a traffic source of its own (and so may start a new session). */
        public boolean namesSource() {
            return this == TAGGED || this == CLICK_ID || this == REFERRAL;
        }
    }
}
