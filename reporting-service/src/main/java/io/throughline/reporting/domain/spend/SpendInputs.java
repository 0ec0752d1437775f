package io.throughline.reporting.domain.spend;

import io.throughline.commons.money.Decimals;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/** Spend rows given through the JSON API, checked as the file formats check theirs; a row's "line" is its index. */
public final class SpendInputs {

    /** One row as the API takes it; cost in major units of the currency. */
    public record Input(String day, String platform, String account, String campaignId, String campaign, String adGroup, String keyword,
            Long impressions, Long clicks, BigDecimal cost, String currency, BigDecimal conversions, String utmSource, String utmMedium,
            String channel) {
    }

    private SpendInputs() {
    }

    public static SpendFile parse(List<Input> inputs, Platforms platforms, LocalDate today) {
        SpendRows rows = new SpendRows(platforms, today);
        for (int i = 0; i < inputs.size(); i++) {
            Input in = inputs.get(i);
            SpendRows.Row row = rows.row(i);
            if (in == null) {
                row.fail("", "is null");
                row.done();
                continue;
            }
            row.day("day", in.day());
            String platform = in.platform() == null ? null : in.platform().strip().toLowerCase(java.util.Locale.ROOT);
            if (!Platforms.validCode(platform)) {
                row.fail("platform", "must be a platform code such as yandex_direct, google_ads, meta, vk_ads");
            } else {
                row.platform = platform;
            }
            row.account = row.text("account", in.account(), false);
            row.campaignId = row.text("campaign_id", in.campaignId(), false);
            row.campaignName = row.text("campaign", in.campaign(), false);
            row.adGroup = row.text("ad_group", in.adGroup(), false);
            row.keyword = row.text("keyword", in.keyword(), false);
            row.impressions = count(row, "impressions", in.impressions());
            row.clicks = count(row, "clicks", in.clicks());
            row.currency("currency", in.currency());
            if (in.cost() != null && !Decimals.bounded(in.cost())) {
                row.fail("cost", Decimals.OUT_OF_RANGE);
            } else {
                row.costMajor("cost", in.cost() == null ? null : in.cost().toPlainString(), false);
            }
            if (in.conversions() != null && !Decimals.bounded(in.conversions())) {
                row.fail("conversions", Decimals.OUT_OF_RANGE);
            } else {
                row.conversions = in.conversions();
            }
            row.source = row.text("utm_source", in.utmSource(), false);
            row.medium = row.text("utm_medium", in.utmMedium(), false);
            row.channel = row.text("channel", in.channel(), false);
            row.done();
        }
        return rows.result();
    }

    private static long count(SpendRows.Row row, String field, Long value) {
        if (value == null) {
            return 0;
        }
        if (value < 0) {
            row.fail(field, "must be >= 0");
            return 0;
        }
        return value;
    }
}
