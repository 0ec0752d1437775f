package io.throughline.reporting.reports;

import static io.restassured.RestAssured.given;
import static io.throughline.reporting.ReportFixtures.d;
import static io.throughline.reporting.ReportFixtures.json;
import static io.throughline.reporting.ReportFixtures.n;
import static io.throughline.reporting.ReportFixtures.settings;
import static io.throughline.reporting.ReportWorld.k;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.throughline.reporting.ReportWorld;
import io.throughline.reporting.processing.FeedSync;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Naive ROMI against real ROMI with the bridge between them, as metrics.md defines them, built from raw data. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class, initArgs = @ResourceArg(name = "database", value = "throughline_reporting_test"))
class NaiveVsRealTest {

    private static final String NOVEMBER = "from=2026-11-01&to=2026-11-30";

    @Inject
    FeedSync sync;

    @Test
    void theOnlineSchoolBelieves368Point75PercentAndEarns38Point75() {
        ReportWorld w = new ReportWorld("naive-school");
        settings(w.tenant, "{\"naive\": {\"valuation\": \"expected_check\", \"expected_conversion_pct\": 15, \"expected_check\": 25000}}");
        var ads = k("paid_social", "vk", "course");
        w.spend("2026-11-02", "vk_ads", ads, "80000.00", 4000);
        w.forms(100, "2026-11-03T09:00:00Z", ads, "school");
        for (int i = 0; i < 6; i++) {
            w.deal("d" + i, "2026-11-03T10:00:00Z", ads, "school-" + i, "won", 18_500, 1.0, new ReportWorld.Pay("p" + i, "2026-11-10T10:00:00Z", 18_500));
        }
        w.publish();
        sync.syncAll();
        JsonPath r = json(w.tenant, "naive-vs-real", NOVEMBER);
        assertEquals(d("800.00"), n(r, "items[0].cost").divide(n(r, "items[0].leads_raw")).setScale(2), "cost per lead 800");
        assertEquals(d("368.75"), n(r, "items[0].naive_romi_pct"));
        assertEquals(d("6.00"), n(r, "items[0].real_conversion_pct"));
        assertEquals(d("18500.00"), n(r, "items[0].real_check"));
        assertEquals(d("38.75"), n(r, "items[0].real_romi_pct"));
        assertEquals(d("-281.25"), n(r, "items[0].bridge_unpaid_deals_pts"));
        assertEquals(d("-48.75"), n(r, "items[0].bridge_average_check_pts"));
        assertEquals(d("0.00"), n(r, "items[0].bridge_bots_and_junk_pts"));
        assertEquals(d("0.00"), n(r, "items[0].bridge_attribution_model_pts"));
    }

    @Test
    void theBridgeNamesBotsDuplicatesReturningCustomersUnpaidDealsCheckMarginModelAndOverheadsAndAddsUpToTheGap() {
        ReportWorld w = new ReportWorld("naive-bridge");
        settings(w.tenant, "{\"naive\": {\"valuation\": \"expected_check\", \"expected_conversion_pct\": 20, \"expected_check\": 10000}}");
        var ads = k("paid_search", "yandex", "sofas");
        w.spend("2026-11-02", "yandex_direct", ads, "10000.00", 100);
        for (int i = 1; i <= 5; i++) {
            w.form("f" + i, "2026-11-03T09:0" + i + ":00Z", ads, "bridge-p" + i, false, false);
        }
        w.form("again1", "2026-11-04T09:00:00Z", ads, "bridge-p1", false, false);
        w.form("again2", "2026-11-05T09:00:00Z", ads, "bridge-p2", false, false);
        w.form("bot1", "2026-11-05T10:00:00Z", ads, null, true, false);
        w.form("bot2", "2026-11-05T11:00:00Z", ads, null, true, false);
        w.form("old", "2026-11-06T09:00:00Z", ads, "bridge-customer", false, true);
        w.deal("d1", "2026-11-03T10:00:00Z", ads, "bridge-p1", "won", 6000, 0.5, new ReportWorld.Pay("p1", "2026-11-08T10:00:00Z", 6000));
        w.deal("d2", "2026-11-03T10:00:00Z", ads, "bridge-p2", "won", 6000, 0.5, new ReportWorld.Pay("p2", "2026-11-09T10:00:00Z", 6000));
        // The chosen model gives this channel half of the money: another channel touched the journeys too.
        w.credit("linear", "2026-11-08", ads, 6000, 0.5, 1, 1);
        w.publish();
        given().auth().oauth2(TestTokens.user(w.tenant, "admin")).contentType(ContentType.JSON)
                .body("{\"items\": [{\"category\": \"salaries\", \"amount\": 10000, \"currency\": \"RUB\"}]}")
                .when().put("/api/reporting/overheads/2026-11").then().statusCode(200);
        sync.syncAll();
        JsonPath r = json(w.tenant, "naive-vs-real", NOVEMBER + "&model=linear");
        assertEquals(d("10"), n(r, "items[0].leads_raw"));
        assertEquals(d("2"), n(r, "items[0].junk_leads"));
        assertEquals(d("5"), n(r, "items[0].leads"));
        assertEquals(d("100.00"), n(r, "items[0].naive_romi_pct"));
        assertEquals(d("-40.00"), n(r, "items[0].bridge_bots_and_junk_pts"));
        assertEquals(d("-60.00"), n(r, "items[0].bridge_duplicates_and_returning_pts"));
        assertEquals(d("100.00"), n(r, "items[0].bridge_unpaid_deals_pts"));
        assertEquals(d("-80.00"), n(r, "items[0].bridge_average_check_pts"));
        assertEquals(d("-60.00"), n(r, "items[0].bridge_margin_pts"));
        assertEquals(d("-30.00"), n(r, "items[0].bridge_attribution_model_pts"));
        assertEquals(d("-70.00"), n(r, "items[0].real_romi_pct"));
        assertEquals(d("-15.00"), n(r, "items[0].bridge_overheads_pts"));
        assertEquals(d("-85.00"), n(r, "items[0].real_romi_full_pct"));
        BigDecimal steps = BigDecimal.ZERO;
        for (String s : new String[] {"bots_and_junk", "duplicates_and_returning", "unpaid_deals", "average_check", "margin", "attribution_model"}) {
            steps = steps.add(n(r, "items[0].bridge_" + s + "_pts"));
        }
        assertEquals(n(r, "items[0].real_romi_pct").subtract(n(r, "items[0].naive_romi_pct")), steps, "the steps add up to the gap exactly");
        assertEquals("linear", r.getString("meta.model.series"));
        assertEquals("last_non_direct", r.getString("meta.naive.last_click_model"));
    }
}
