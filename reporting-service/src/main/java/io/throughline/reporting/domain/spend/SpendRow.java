package io.throughline.reporting.domain.spend;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * What one ad platform account spent on one day for one campaign, ad group and keyword (empty where the platform
 * has none), in minor units of the account's currency. {@code source}, {@code medium} and {@code channel} are the
 * campaign keys the spend is reported under (the platform mapping's, unless the row names its own); {@code campaign}
 * is what the site's {@code utm_campaign} holds for it. {@code line} is where the row came from in its file.
 */
public record SpendRow(int line, LocalDate day, String platform, String account, String campaignId, String campaignName, String campaign,
        String adGroup, String keyword, String source, String medium, String channel, long impressions, long clicks, long costMinor,
        String currency, BigDecimal platformConversions) {

    /** The natural key a re-import replaces by: day x platform x account x campaign x ad group x keyword. */
    public String key() {
        return day + "|" + platform + "|" + account + "|" + campaignId + "|" + adGroup + "|" + keyword;
    }
}
