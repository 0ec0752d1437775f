package io.throughline.reporting.api;

import io.throughline.commons.money.Money;
import io.throughline.reporting.domain.ReportSettings;
import io.throughline.reporting.domain.spend.Platforms;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.Map;

public record SettingsView(String currency, String timeZone, String overheadRule, Map<String, BigDecimal> fixedShares, SettingsRequest.Naive naive,
        String lastClickModel, int ltvHorizonMonths, BigDecimal expectedLifetimeYears, int rateMaxAgeDays, Map<String, SettingsRequest.Platform> platforms,
        String locale) {

    static SettingsView of(ReportSettings s) {
        Map<String, SettingsRequest.Platform> platforms = new LinkedHashMap<>();
        for (Map.Entry<String, Platforms.Mapping> e : s.platforms().all().entrySet()) {
            Platforms.Mapping m = e.getValue();
            platforms.put(e.getKey(), new SettingsRequest.Platform(m.source(), m.medium(), m.channel(), m.campaignById() ? "id" : "name"));
        }
        return new SettingsView(s.currency(), s.zone().getId(), s.overheadRule().code(), s.fixedSharesPct(),
                new SettingsRequest.Naive(s.naiveValuation().code(), s.naiveConversionPct(),
                        new Money(s.naiveCheckMinor(), Currency.getInstance(s.currency())).major()),
                s.lastClickModel(), s.ltvHorizonMonths(), s.lifetimeYears(), s.rateMaxAgeDays(), platforms, s.locale());
    }
}
