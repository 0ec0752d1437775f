package io.throughline.reporting.domain.spend;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.throughline.reporting.domain.rates.RateCsv;
import java.time.LocalDate;
import java.util.Map;

/**
 * The spend and rate importers under Jazzer: whatever file is uploaded, each parser answers with rows and
 * rejections or refuses the whole file with an {@link IllegalArgumentException} (a 400 naming the body), never with
 * anything else (a 500); every row it accepts has a day, a platform, a currency and no negative cost or count.
 */
class SpendImportFuzzTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 12, 1);

    @FuzzTest(maxDuration = "20s")
    @DictionaryEntries({"day,platform,campaign,cost,currency", "day;platform;campaign;cost;currency", "yandex_direct", "google_ads", "RUB", "USD",
            "2026-11-30", "CampaignName", "CampaignId", "Impressions", "Clicks", "Cost", "1234,50", "campaign_id", "impressions",
            "clicks", "conversions", "utm_source", "channel"})
    void anyFileIsReadOrRefusedAsAWhole(FuzzedDataProvider data) {
        int parser = data.consumeInt(0, 5);
        String text = data.consumeRemainingAsString();
        SpendFile file;
        try {
            if (parser == 5) {
                RateCsv.Result rates = RateCsv.parse(text, "RUB");
                rates.rates().forEach(r -> assertTrue(r.value().signum() > 0, r::toString));
                return;
            }
            Platforms platforms = Platforms.defaults();
            file = switch (parser) {
                case 0 -> SpendCsv.parse(text, platforms, TODAY);
                case 1 -> YandexDirectReport.parse(text, "acct", "RUB", true, platforms, TODAY);
                case 2 -> GoogleAdsReport.parse(text, "acct", "RUB", platforms, TODAY);
                case 3 -> MetaInsightsReport.parse(text, "acct", "RUB", platforms, TODAY);
                default -> VkAdsReport.parse(text, "acct", "RUB", Map.of(), platforms, TODAY);
            };
        } catch (IllegalArgumentException refused) {
            assertNotNull(refused.getMessage(), "a refusal says why");
            return;
        }
        for (SpendRow row : file.rows()) {
            assertNotNull(row.day(), row::toString);
            assertNotNull(row.platform(), row::toString);
            assertTrue(row.currency() != null && row.currency().length() == 3, row::toString);
            assertTrue(row.costMinor() >= 0 && row.clicks() >= 0 && row.impressions() >= 0, row::toString);
        }
    }
}
