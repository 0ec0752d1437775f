package io.throughline.reporting.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.throughline.reporting.domain.spend.GoogleAdsReport;
import io.throughline.reporting.domain.spend.MetaInsightsReport;
import io.throughline.reporting.domain.spend.Platforms;
import io.throughline.reporting.domain.spend.SpendCsv;
import io.throughline.reporting.domain.spend.SpendFile;
import io.throughline.reporting.domain.spend.SpendRejection;
import io.throughline.reporting.domain.spend.SpendRow;
import io.throughline.reporting.domain.spend.VkAdsReport;
import io.throughline.reporting.domain.spend.YandexDirectReport;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ad platforms' own report formats, read from sample answers built from their public documentation. */
class SpendReportsTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 12, 3);

    static String sample(String name) {
        try (InputStream in = SpendReportsTest.class.getResourceAsStream("/spend/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void yandexDirectTsvInMicrosWithItsHeaderAndSummaryRowsAndMinusWordsCut() {
        SpendFile f = YandexDirectReport.parse(sample("yandex-direct-report.tsv"), "shop-direct", "RUB", true, Platforms.defaults(), TODAY);
        assertEquals(4, f.read());
        assertEquals(3, f.rows().size());
        SpendRow first = f.rows().get(0);
        assertEquals(LocalDate.of(2026, 11, 1), first.day());
        assertEquals("yandex_direct", first.platform());
        assertEquals("shop-direct", first.account());
        assertEquals("70410", first.campaignId());
        assertEquals("brand_search", first.campaign(), "utm_campaign holds the name by default");
        assertEquals("5551", first.adGroup());
        assertEquals("купить диван", first.keyword());
        assertEquals(1_850_000, first.costMinor(), "18,500 roubles sent as 18,500,000,000 micros");
        assertEquals(87, first.clicks());
        assertEquals(new BigDecimal("3"), first.platformConversions());
        assertEquals("yandex", first.source());
        assertEquals("paid_search", first.channel());
        assertEquals("", f.rows().get(1).keyword(), "autotargeting has no keyword");
        assertNull(f.rows().get(1).platformConversions(), "-- is empty");
        assertEquals(new SpendRejection(6, "Impressions", "must be a whole number, found \"many\""), f.rejected().get(0));
    }

    @Test
    void aYandexReportWhoseSummaryDisagreesIsIncompleteAndRefusedWhole() {
        String cut = sample("yandex-direct-report.tsv").replace("Total rows: 4", "Total rows: 9");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> YandexDirectReport.parse(cut, "a", "RUB", true, Platforms.defaults(), TODAY));
        assertTrue(e.getMessage().contains("incomplete"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> YandexDirectReport.parse("no tabs here\n", "a", "RUB", true, Platforms.defaults(), TODAY));
    }

    @Test
    void googleAdsSearchStreamBatchesWithCostMicrosRoundedHalfEvenToCents() {
        SpendFile f = GoogleAdsReport.parse(sample("google-ads-searchstream.json"), "", "RUB", Platforms.defaults(), TODAY);
        assertEquals(3, f.read());
        assertEquals(2, f.rows().size());
        SpendRow a = f.rows().get(0);
        assertEquals("1234567890", a.account());
        assertEquals("USD", a.currency(), "the customer's currency wins over the import's");
        assertEquals(12_345, a.costMinor());
        assertEquals("buy sofa", a.keyword());
        assertEquals("PMax sofas", a.campaign());
        assertEquals(4_568, f.rows().get(1).costMinor(), "45.678901 USD");
        assertEquals(new SpendRejection(3, "metrics.costMicros", "must be >= 0"), f.rejected().get(0));
    }

    @Test
    void metaInsightsDailyRowsWithLeadActionsAsTheCabinetsConversions() {
        SpendFile f = MetaInsightsReport.parse(sample("meta-insights.json"), "", "RUB", Platforms.defaults(), TODAY);
        assertEquals(2, f.rows().size());
        SpendRow a = f.rows().get(0);
        assertEquals("EUR", a.currency());
        assertEquals("act_998877", a.account());
        assertEquals(21_055, a.costMinor());
        assertEquals(new BigDecimal("5"), a.platformConversions());
        assertEquals("facebook", a.source());
        assertEquals("paid_social", a.channel());
        assertEquals("date_stop", f.rejected().get(0).field());
        assertEquals(3, f.rejected().get(0).line());
    }

    @Test
    void vkAdsStatisticsPerDayWithNamesFromTheAdPlans() {
        SpendFile f = VkAdsReport.parse(sample("vk-ads-statistics.json"), "vk-cabinet", "RUB", Map.of("4410021", "retargeting"), Platforms.defaults(),
                TODAY);
        assertEquals(3, f.read());
        assertEquals(2, f.rows().size());
        assertEquals("retargeting", f.rows().get(0).campaign());
        assertEquals("4410021", f.rows().get(0).campaignId());
        assertEquals(420_050, f.rows().get(0).costMinor());
        assertEquals(310, f.rows().get(0).clicks());
        assertEquals(20_000, f.rows().get(0).impressions());
        assertEquals("base.spent", f.rejected().get(0).field(), "12.345 roubles: more digits than the rouble has");
    }

    @Test
    void throughlinesCsvWithSemicolonsAndCommaDecimalsNamesTheLineOfEveryRefusedRow() {
        SpendFile f = SpendCsv.parse(sample("spend-semicolon.csv"), Platforms.defaults(), TODAY);
        assertEquals(7, f.read());
        assertEquals(3, f.rows().size());
        assertEquals(150_050, f.rows().get(0).costMinor());
        assertEquals("telegram", f.rows().get(0).source());
        assertEquals("offline", f.rows().get(1).channel());
        assertEquals(5, f.rejected().get(0).line());
        assertEquals("day", f.rejected().get(0).field());
        assertEquals(new SpendRejection(6, "cost", "must be >= 0 (refunds belong to deals, not ad costs)"), f.rejected().get(1));
        assertEquals(7, f.rejected().get(2).line());
        assertEquals("campaign", f.rejected().get(2).field());
        assertEquals("currency", f.rejected().get(3).field());
        assertThrows(IllegalArgumentException.class, () -> SpendCsv.parse("day,platform,cost,currency,campaign,country\n", Platforms.defaults(), TODAY),
                "an unknown column is refused, not ignored");
    }
}
