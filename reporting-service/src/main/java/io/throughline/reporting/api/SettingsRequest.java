package io.throughline.reporting.api;

import jakarta.validation.Valid;
import java.math.BigDecimal;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "How the workspace's money reports are made", example = """
        {"currency": "RUB", "time_zone": "Europe/Moscow", "overhead_rule": "spend_share", "fixed_shares": {},
         "naive": {"valuation": "expected_check", "expected_conversion_pct": 15, "expected_check": 25000.00},
         "last_click_model": "last_non_direct", "ltv_horizon_months": 12, "expected_lifetime_years": 3, "rate_max_age_days": 7,
         "platforms": {"yandex_direct": {"source": "yandex", "medium": "cpc", "channel": "paid_search", "campaign_key": "name"}}}""")
public record SettingsRequest(
        @Schema(description = "ISO 4217 currency every report is in") String currency,
        @Schema(description = "IANA zone days are cut in (changing it rebuilds every daily aggregate)") String timeZone,
        @Schema(description = "spend_share, lead_share, paid_deal_share or fixed_shares") String overheadRule,
        @Schema(description = "fixed_shares: channel -> percent of the overheads (at most 100 in all)") Map<String, BigDecimal> fixedShares,
        @Valid Naive naive,
        @Schema(description = "The series the naive view and the bridge treat as the ad cabinet's last click") String lastClickModel,
        Integer ltvHorizonMonths,
        BigDecimal expectedLifetimeYears,
        @Schema(description = "A day without a published rate takes the last one at most this many days old (weekends, holidays)") Integer rateMaxAgeDays,
        Map<String, Platform> platforms,
        @Schema(description = "The locale figures are shown in by the dashboard: ru-RU (default) or en-US") String locale) {

    @Schema(description = "What the naive view believes a lead is worth: deal_amount (the average amount of the deals created) or"
            + " expected_check (expected_conversion_pct x expected_check)")
    public record Naive(String valuation, BigDecimal expectedConversionPct, BigDecimal expectedCheck) {
    }

    @Schema(description = "The campaign keys a platform's spend is reported under; campaign_key: name or id (what utm_campaign holds)")
    public record Platform(String source, String medium, String channel, String campaignKey) {
    }
}
