package io.throughline.reporting.reports;

import static io.throughline.reporting.ReportFixtures.d;
import static io.throughline.reporting.ReportFixtures.json;
import static io.throughline.reporting.ReportFixtures.n;
import static io.throughline.reporting.ReportWorld.k;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.throughline.reporting.ReportWorld;
import io.throughline.reporting.processing.FeedSync;
import io.throughline.testkit.PostgresTestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Acquisition cohorts: the printing house whose campaign pays back through repeat sales (metrics.md). */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class, initArgs = @ResourceArg(name = "database", value = "throughline_reporting_test"))
class CohortReportTest {

    @Inject
    FeedSync sync;

    private static ReportWorld printingHouse() {
        ReportWorld w = new ReportWorld("cohort-print");
        var campaign = k("paid_search", "yandex", "business_cards");
        var none = k("(no touchpoint)", "", "");
        w.spend("2026-01-05", "yandex_direct", campaign, "50000.00", 500);
        for (int i = 0; i < 10; i++) {
            String person = "print-" + i;
            w.form("f" + i, "2026-01-10T09:00:00Z", campaign, person, false, false);
            w.deal("first" + i, "2026-01-10T10:00:00Z", campaign, person, "won", 4000, 1.0, new ReportWorld.Pay("p" + i, "2026-01-12T10:00:00Z", 4000));
            // 50,000 more each within the year, without any ad: March, June and October orders.
            w.deal("mar" + i, "2026-03-10T10:00:00Z", none, person, "won", 10_000, 1.0, new ReportWorld.Pay("m" + i, "2026-03-11T10:00:00Z", 10_000));
            w.deal("jun" + i, "2026-06-10T10:00:00Z", none, person, "won", 20_000, 1.0, new ReportWorld.Pay("j" + i, "2026-06-11T10:00:00Z", 20_000));
            w.deal("oct" + i, "2026-10-10T10:00:00Z", none, person, "won", 20_000, 1.0, new ReportWorld.Pay("o" + i, "2026-10-11T10:00:00Z", 20_000));
        }
        return w.publish();
    }

    @Test
    void aCampaignThatLosesOnFirstPurchasesPaysBackInItsTwelveMonthCohort() {
        ReportWorld w = printingHouse();
        sync.syncAll();
        JsonPath january = json(w.tenant, "channels", "from=2026-01-01&to=2026-01-31");
        assertEquals(d("-20.00"), n(january, "items[0].romi_revenue_pct"), "40,000 sold against 50,000 spent: it looks unprofitable");
        JsonPath c = json(w.tenant, "cohorts", "from=2026-01-01&to=2026-01-31");
        assertEquals("2026-01", c.getString("items[0].cohort"));
        assertEquals("paid_search", c.getString("items[0].channel"), "repeat sales without ads count for the channel that acquired the customer");
        assertEquals(d("10"), n(c, "items[0].customers"));
        assertEquals(d("5000.00"), n(c, "items[0].cac"));
        assertEquals(d("4000.00"), n(c, "items[0].gross_profit_per_customer_m0"));
        assertEquals(d("4000.00"), n(c, "items[0].gross_profit_per_customer_m1"));
        assertEquals(d("14000.00"), n(c, "items[0].gross_profit_per_customer_m2"));
        assertEquals(d("2"), n(c, "items[0].payback_month"));
        assertEquals(d("54000.00"), n(c, "items[0].gross_profit_per_customer_m11"));
        assertEquals(d("54000.00"), n(c, "items[0].ltv"), "540,000 over 10 customers in 12 months");
        assertEquals(d("10.80"), n(c, "items[0].ltv_to_cac"));
        assertEquals(d("100.00"), n(c, "items[0].retention_m2_pct"));
        assertEquals(d("0.00"), n(c, "items[0].retention_m1_pct"));
        assertEquals(d("100.00"), n(c, "items[0].repeat_purchase_m2_pct"));
        assertEquals(d("0.00"), n(c, "items[0].repeat_purchase_m1_pct"));
        assertEquals(d("13500.00"), n(c, "items[0].average_order_value"), "540,000 in 40 purchases");
        assertEquals(d("12"), n(c, "items[0].observed_months"));
        JsonPath march = json(w.tenant, "cohorts", "from=2026-03-01&to=2026-03-31");
        assertEquals(0, march.getList("items").size(), "a repeat purchase starts no cohort");
    }

    @Test
    void aYoungCohortLeavesItsFutureMonthsEmptyWithTheReason() {
        ReportWorld w = new ReportWorld("cohort-young");
        var ads = k("paid_social", "vk", "young");
        w.deal("d1", "2026-12-01T10:00:00Z", ads, "young-1", "won", 1000, 0.5, new ReportWorld.Pay("p1", "2026-12-01T12:00:00Z", 1000));
        w.publish();
        sync.syncAll();
        JsonPath c = json(w.tenant, "cohorts", "from=2026-12-01&to=2026-12-31");
        assertEquals(d("500.00"), n(c, "items[0].gross_profit_per_customer_m0"));
        assertNull(c.get("items[0].gross_profit_per_customer_m1"));
        assertEquals("month 1 has not begun for this cohort", c.getString("items[0].gross_profit_per_customer_m1_null_reason"));
        assertEquals(d("0.00"), n(c, "items[0].cac"), "no ad spent: a free customer");
        assertEquals(d("0"), n(c, "items[0].payback_month"));
    }
}
