package io.throughline.reporting.reports;

import static io.throughline.reporting.ReportFixtures.json;
import static io.throughline.reporting.ReportFixtures.report;
import static io.throughline.reporting.ReportWorld.k;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.throughline.reporting.ReportWorld;
import io.throughline.reporting.processing.FeedSync;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The channel report on the worked examples of metrics.md, built from raw data, checked to the kopeck. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class, initArgs = @ResourceArg(name = "database", value = "throughline_reporting_test"))
class ChannelReportTest {

    private static final String NOVEMBER = "from=2026-11-01&to=2026-11-30";

    @Inject
    FeedSync sync;

    private void load() {
        sync.syncAll();
        sync.refreshTraffic(null);
    }

    private static BigDecimal d(String value) {
        return new BigDecimal(value);
    }

    private static BigDecimal n(JsonPath r, String path) {
        return new BigDecimal(String.valueOf((Object) r.get(path)));
    }

    @Test
    void anOnlineStoreSpending50000ForRevenueOf120000AtA40PercentMarginHasAnRomiOfMinus4() {
        ReportWorld w = new ReportWorld("rep-store");
        var search = k("paid_search", "yandex", "store");
        w.spend("2026-11-10", "yandex_direct", search, "50000.00", 1000);
        w.form("l1", "2026-11-12T10:00:00Z", search, "store-p1", false, false);
        w.deal("d1", "2026-11-12T11:00:00Z", search, "store-p1", "won", 120_000, 0.4, new ReportWorld.Pay("p1", "2026-11-15T10:00:00Z", 120_000));
        w.publish();
        load();
        JsonPath r = json("rep-store", "channels", NOVEMBER);
        assertEquals("paid_search", r.getString("items[0].channel"));
        assertEquals(d("50000.00"), r.get("items[0].cost"));
        assertEquals(d("120000.00"), r.get("items[0].revenue"));
        assertEquals(d("48000.00"), r.get("items[0].gross_profit"));
        assertEquals(d("-4.00"), r.get("items[0].romi_pct"));
        assertEquals(d("140.00"), r.get("items[0].romi_revenue_pct"));
        assertEquals(d("240.00"), r.get("items[0].roas_pct"));
        assertEquals(d("50.00"), r.get("items[0].cpc"));
        assertEquals("last_non_direct", r.getString("meta.model.series"));
        assertEquals("RUB", r.getString("meta.currency"));
    }

    @Test
    void aCleaningServiceWith80LeadsAnd40ClientsAt3000EachAndA50PercentMarginHasAnRomiOf200() {
        ReportWorld w = new ReportWorld("rep-cleaning");
        var ads = k("paid_social", "vk", "cleaning");
        w.spend("2026-11-03", "vk_ads", ads, "20000.00", 400);
        w.forms(80, "2026-11-05T09:00:00Z", ads, "cleaning");
        for (int i = 0; i < 40; i++) {
            w.deal("d" + i, "2026-11-05T10:00:00Z", ads, "cleaning-" + i, "won", 3000, 0.5, new ReportWorld.Pay("p" + i, "2026-11-06T10:00:00Z", 3000));
        }
        w.publish();
        load();
        JsonPath r = json("rep-cleaning", "channels", NOVEMBER);
        assertEquals(d("80"), n(r, "items[0].leads"), "80 people, each a first contact");
        assertEquals(d("80"), n(r, "items[0].leads_raw"));
        assertEquals(d("0"), n(r, "items[0].duplicates"), "a CRM deal after its person's form is the same lead");
        assertEquals(d("40.00"), r.get("items[0].new_customers"));
        assertEquals(d("120000.00"), r.get("items[0].revenue"));
        assertEquals(d("250.00"), r.get("items[0].cpl"));
        assertEquals(d("500.00"), r.get("items[0].cac"));
        assertEquals(d("3000.00"), r.get("items[0].average_check"));
        assertEquals(d("200.00"), r.get("items[0].romi_pct"));
        assertEquals(d("40"), n(r, "items[0].deals"));
        assertEquals(d("500.00"), r.get("items[0].cpo"));
    }

    @Test
    void aNailStudioWith200LeadsAnd120SalesAt1200AndA50PercentMarginHasAnRomiOf80() {
        ReportWorld w = new ReportWorld("rep-nails");
        var ads = k("paid_search", "google", "nails");
        w.spend("2026-11-20", "google_ads", ads, "40000.00", 2000);
        w.forms(200, "2026-11-21T09:00:00Z", ads, "nails");
        for (int i = 0; i < 120; i++) {
            w.deal("d" + i, "2026-11-21T10:00:00Z", ads, "nails-" + i, "won", 1200, 0.5, new ReportWorld.Pay("p" + i, "2026-11-22T10:00:00Z", 1200));
        }
        w.publish();
        load();
        JsonPath r = json("rep-nails", "channels", NOVEMBER);
        assertEquals(d("80.00"), r.get("items[0].romi_pct"));
        assertEquals(d("200.00"), r.get("items[0].cpl"));
        assertEquals(d("72000.00"), r.get("items[0].gross_profit"));
    }

    @Test
    void aChannelWithoutCostOrLeadsAnswersNullWithTheReasonNeverAnError() {
        ReportWorld w = new ReportWorld("rep-zero");
        var organic = k("organic_search", "google", "");
        w.deal("d1", "2026-11-12T11:00:00Z", organic, "zero-p1", "won", 5_000, 1.0, new ReportWorld.Pay("p1", "2026-11-15T10:00:00Z", 5_000));
        w.publish();
        load();
        JsonPath r = json("rep-zero", "channels", NOVEMBER);
        assertNull(r.get("items[0].romi_pct"));
        assertEquals("no marketing cost", r.getString("items[0].romi_pct_null_reason"));
        assertNull(r.get("items[0].cpc"));
        assertEquals("no clicks", r.getString("items[0].cpc_null_reason"));
        assertEquals(d("1"), n(r, "items[0].leads"), "a deal created in the CRM without a form or call is a lead too");
        assertNull(r.get("items[0].ltv_to_cac"));
        assertEquals(d("5000.00"), r.get("items[0].revenue"));
    }

    @Test
    void reportsNeedATokenTheRightRoleAndNeverShowAnotherWorkspace() {
        new ReportWorld("rep-mine").spend("2026-11-10", "yandex_direct", k("paid_search", "yandex", "mine"), "100.00", 1);
        load();
        report("rep-mine", "channels", NOVEMBER).statusCode(200).body("totals.cost", equalTo(100.0f));
        report("rep-theirs", "channels", NOVEMBER).statusCode(200).body("items.size()", equalTo(0)).body("totals.cost", equalTo(0.0f));
        io.restassured.RestAssured.given().when().get("/api/reporting/reports/channels?" + NOVEMBER).then().statusCode(401);
        io.restassured.RestAssured.given().auth().oauth2(TestTokens.user("rep-mine", "ingest")).when().get("/api/reporting/reports/channels?" + NOVEMBER)
                .then().statusCode(403);
    }

    @Test
    void badParametersAreNamed() {
        report("rep-bad", "channels", "from=2026-11-01").statusCode(400).body("errors[0].field", equalTo("to"));
        report("rep-bad", "channels", NOVEMBER + "&group_by=country").statusCode(400).body("errors[0].field", equalTo("group_by"));
        report("rep-bad", "channels", NOVEMBER + "&sort=-nonsense").statusCode(400).body("errors[0].field", equalTo("sort"));
        report("rep-bad", "channels", NOVEMBER + "&model=markov").statusCode(400).body("errors[0].field", equalTo("model"));
        report("rep-bad", "channels", NOVEMBER + "&tz=Asia/Tokyo").statusCode(400).body("errors[0].field", equalTo("tz"));
        report("rep-bad", "channels", NOVEMBER + "&cursor=zzz").statusCode(400).body("errors[0].field", equalTo("cursor"));
    }

    @Test
    void sessionsStoredLateForOldDaysAreCountedOnceTrackingNamesThem() {
        String tenant = "rep-late-sessions";
        ReportWorld w = new ReportWorld(tenant);
        var ads = k("paid_search", "yandex", "late");
        java.time.LocalDate old = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(200);
        w.spend(old.toString(), "yandex_direct", ads, "1000.00", 10);
        w.publish();
        load();
        String period = "from=" + old + "&to=" + old;
        // an import of history: tracking now has the day's sessions, beyond the days recounted every round
        w.traffic(old.toString(), ads, 30, 3);
        sync.refreshTraffic(null);
        assertEquals(0, json(tenant, "channels", period).getInt("items[0].sessions"), "the day lies before the recounted window");

        io.throughline.reporting.FakeFeeds.SESSION_CHANGES.add(io.throughline.contracts.tracking.v1.SessionChange.newBuilder().setTenantId(tenant)
                .setSessionId("late-1").setVisitorId("v-late").setStartedAt(io.throughline.commons.grpc.ProtoTimes.timestamp(
                        old.atTime(10, 0).toInstant(java.time.ZoneOffset.UTC))).build());
        sync.refreshTraffic(null);
        JsonPath r = json(tenant, "channels", period);
        assertEquals(30, r.getInt("items[0].sessions"));
        assertEquals(3, r.getInt("items[0].bot_sessions"));
        sync.refreshTraffic(null);
        assertEquals(30, json(tenant, "channels", period).getInt("items[0].sessions"), "counted once: the change cursor moved on");
    }
}
