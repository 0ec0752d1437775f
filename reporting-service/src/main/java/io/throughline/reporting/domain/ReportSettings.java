package io.throughline.reporting.domain;

import io.throughline.reporting.domain.metrics.Overheads;
import io.throughline.reporting.domain.spend.Platforms;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.Map;

/**
 * How a workspace's money reports are made: the currency and zone they are in, how overheads are allocated, what the
 * "naive" view values a lead at (the average amount of the deals created, or a believed conversion rate x check),
 * which series is the last click, the LTV horizon and the expected customer lifetime of the forecast, how old a rate
 * may be for a day without one, and the ad platforms' campaign keys.
 */
public record ReportSettings(String currency, ZoneId zone, Overheads.Rule overheadRule, Map<String, BigDecimal> fixedSharesPct,
        NaiveValuation naiveValuation, BigDecimal naiveConversionPct, long naiveCheckMinor, String lastClickModel, int ltvHorizonMonths,
        BigDecimal lifetimeYears, int rateMaxAgeDays, Platforms platforms, String locale) {

    /** The locales figures can be shown in (the dashboard formats numbers and money in them). */
    public static final java.util.List<String> LOCALES = java.util.List.of("ru-RU", "en-US");

    public enum NaiveValuation {
        EXPECTED_CHECK, DEAL_AMOUNT;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static ReportSettings defaults() {
        return new ReportSettings("RUB", ZoneId.of("Europe/Moscow"), Overheads.Rule.SPEND_SHARE, Map.of(), NaiveValuation.DEAL_AMOUNT,
                BigDecimal.valueOf(100), 0, "last_non_direct", 12, BigDecimal.valueOf(3), 7, Platforms.defaults(), "ru-RU");
    }
}
