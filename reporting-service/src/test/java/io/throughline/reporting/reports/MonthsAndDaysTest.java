package io.throughline.reporting.reports;

import static io.restassured.RestAssured.given;
import static io.throughline.reporting.ReportFixtures.json;
import static io.throughline.reporting.ReportWorld.k;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.throughline.reporting.ReportWorld;
import io.throughline.reporting.processing.FeedSync;
import io.throughline.reporting.store.MonthTwins;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A period's whole months are read from the monthly twins, its partial months and foreign-currency amounts from the
 * daily tables, and so are months whose twin is stale: the figures are the same either way, and once recomputed the
 * twins equal their days' sums after inserts, replacements and new versions.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class, initArgs = @ResourceArg(name = "database", value = "throughline_reporting_test"))
class MonthsAndDaysTest {

    private static final String PERIOD = "from=2026-07-10&to=2026-09-10";
    private static final List<String> TWINS = List.of("ad_spend:spend_monthly", "traffic_daily:traffic_monthly", "lead_daily:lead_monthly",
            "call_daily:call_monthly", "deal_daily:deal_monthly", "credit_totals:credit_monthly");

    @Inject
    FeedSync sync;

    @Inject
    DataSource db;

    @Inject
    MonthTwins twins;

    @Test
    void aPeriodOfPartialAndWholeMonthsSumsItsDaysWithForeignSpendAtEachDaysRate() throws Exception {
        String tenant = "rep-months";
        ReportWorld w = new ReportWorld(tenant);
        var ads = k("paid_search", "yandex", "months");
        w.spend("2026-06-30", "yandex_direct", ads, "500.00", 5);
        w.spend("2026-07-15", "yandex_direct", ads, "1000.00", 10);
        w.spend("2026-08-05", "yandex_direct", ads, "2000.00", 20);
        w.spend("2026-09-02", "yandex_direct", ads, "4000.00", 40);
        w.spend("2026-09-20", "yandex_direct", ads, "8000.00", 80);
        given().auth().oauth2(TestTokens.user(tenant, "admin")).contentType(ContentType.JSON)
                .body("{\"rows\": [{\"day\": \"2026-08-07\", \"platform\": \"google_ads\", \"campaign\": \"months\", \"cost\": 100, \"currency\": \"USD\","
                        + " \"utm_source\": \"yandex\", \"utm_medium\": \"cpc\", \"channel\": \"paid_search\"}]}")
                .when().post("/api/reporting/spend").then().statusCode(200);
        given().auth().oauth2(TestTokens.user(tenant, "admin")).contentType("text/csv").body("day,currency,rate\n2026-08-07,USD,92.5\n")
                .when().post("/api/reporting/rates/imports?format=csv").then().statusCode(200);
        w.form("l0", "2026-06-30T10:00:00Z", ads, "p0", false, false);
        w.form("l1", "2026-07-15T10:00:00Z", ads, "p1", false, false);
        w.form("l2", "2026-08-05T10:00:00Z", ads, "p2", false, false);
        w.form("l3", "2026-08-20T10:00:00Z", ads, "p1", false, false);
        w.form("l4", "2026-09-02T10:00:00Z", ads, "p3", false, false);
        w.traffic("2026-07-15", ads, 10, 1).traffic("2026-08-05", ads, 20, 2).traffic("2026-09-11", ads, 40, 4);
        w.deal("d1", "2026-07-15T11:00:00Z", ads, "p1", "won", 1000, 0.5, new ReportWorld.Pay("a", "2026-07-15T12:00:00Z", 1000));
        w.deal("d2", "2026-08-05T11:00:00Z", ads, "p2", "won", 2000, 0.5, new ReportWorld.Pay("b", "2026-08-20T12:00:00Z", 2000));
        w.deal("d3", "2026-09-02T11:00:00Z", ads, "p3", "won", 3000, 0.5, new ReportWorld.Pay("c", "2026-09-09T12:00:00Z", 3000),
                new ReportWorld.Pay("d", "2026-09-11T12:00:00Z", 5000));
        w.publish();
        sync.syncAll();
        sync.refreshTraffic(tenant);

        // Traffic was recounted after the round's compaction: its months are stale and read from the days.
        assertTrue(twins.stale() > 0);
        assertFigures(json(tenant, "channels", PERIOD), "16250.00", "6000.00", 3);
        sync.syncAll();
        assertEquals(0, twins.stale(), "the next round recomputes every stale month");
        assertFigures(json(tenant, "channels", PERIOD), "16250.00", "6000.00", 3);
        assertTwinsMatchTheirDays();

        // A replaced day of spend, another version of the series, the USD day set to nothing: stale, then recomputed.
        w.spend("2026-08-05", "yandex_direct", ads, "2500.00", 25);
        given().auth().oauth2(TestTokens.user(tenant, "admin")).contentType(ContentType.JSON)
                .body("{\"rows\": [{\"day\": \"2026-08-07\", \"platform\": \"google_ads\", \"campaign\": \"months\", \"cost\": 0, \"currency\": \"USD\","
                        + " \"utm_source\": \"yandex\", \"utm_medium\": \"cpc\", \"channel\": \"paid_search\"}]}")
                .when().post("/api/reporting/spend").then().statusCode(200);
        JsonPath r = json(tenant, "channels", PERIOD);
        assertEquals(new BigDecimal("7500.00"), r.get("items[0].cost"), "1,000 + 2,500 + 4,000, read from the days of the stale August");
        w.deal("d4", "2026-08-06T11:00:00Z", ads, "p4", "won", 700, 0.5, new ReportWorld.Pay("e", "2026-08-06T12:00:00Z", 700));
        w.publish();
        sync.syncAll();
        sync.syncAll();
        assertEquals(0, twins.stale());
        assertFigures(json(tenant, "channels", PERIOD), "7500.00", "6700.00", 4);
        assertTwinsMatchTheirDays();
    }

    @Test
    void theTrendSplitsThePeriodByDayOrMonthAndItsRowsSumToTheChannelReport() {
        String tenant = "rep-trend";
        ReportWorld w = new ReportWorld(tenant);
        var ads = k("paid_search", "yandex", "trend");
        var social = k("paid_social", "vk", "trend-vk");
        w.spend("2026-07-15", "yandex_direct", ads, "1000.00", 10);
        w.spend("2026-08-05", "yandex_direct", ads, "2000.00", 20);
        w.spend("2026-08-05", "vk_ads", social, "300.00", 3);
        w.spend("2026-09-20", "yandex_direct", ads, "8000.00", 80);
        given().auth().oauth2(TestTokens.user(tenant, "admin")).contentType(ContentType.JSON)
                .body("{\"rows\": [{\"day\": \"2026-08-07\", \"platform\": \"google_ads\", \"campaign\": \"trend\", \"cost\": 100, \"currency\": \"USD\","
                        + " \"utm_source\": \"yandex\", \"utm_medium\": \"cpc\", \"channel\": \"paid_search\"}]}")
                .when().post("/api/reporting/spend").then().statusCode(200);
        given().auth().oauth2(TestTokens.user(tenant, "admin")).contentType("text/csv").body("day,currency,rate\n2026-08-07,USD,92.5\n")
                .when().post("/api/reporting/rates/imports?format=csv").then().statusCode(200);
        w.form("l1", "2026-07-15T10:00:00Z", ads, "p1", false, false);
        w.form("l2", "2026-08-05T10:00:00Z", ads, "p2", false, false);
        w.deal("d1", "2026-07-15T11:00:00Z", ads, "p1", "won", 1000, 0.5, new ReportWorld.Pay("a", "2026-07-15T12:00:00Z", 1000));
        w.deal("d2", "2026-08-05T11:00:00Z", ads, "p2", "won", 2000, 0.5, new ReportWorld.Pay("b", "2026-08-20T12:00:00Z", 2000));
        w.publish();
        sync.syncAll();

        JsonPath days = json(tenant, "trend", PERIOD);
        assertEquals("trend", days.getString("meta.report"));
        assertEquals(List.of("2026-07-15", "2026-08-05", "2026-08-07", "2026-08-20"), days.getList("items.day"), "the days with anything, oldest first");
        assertEquals(List.of(new BigDecimal("1000.00"), new BigDecimal("2300.00"), new BigDecimal("9250.00"), new BigDecimal("0.00")),
                days.getList("items.cost"), "each day's spend, the USD day at its own rate; Sep 20 is after the period");
        assertEquals(List.of(new BigDecimal("1000.00"), new BigDecimal("0.00"), new BigDecimal("0.00"), new BigDecimal("2000.00")),
                days.getList("items.revenue"), "revenue on the day it was received");
        JsonPath channels = json(tenant, "channels", PERIOD);
        for (String m : List.of("cost", "cost_full", "revenue", "gross_profit", "leads", "deals")) {
            assertEquals(0, new BigDecimal(channels.getString("totals." + m)).compareTo(new BigDecimal(days.getString("totals." + m))), m);
            BigDecimal sum = days.getList("items." + m, String.class).stream().map(BigDecimal::new).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertEquals(0, sum.compareTo(new BigDecimal(channels.getString("totals." + m))), m + ": the days add up to the period");
        }
        assertEquals(channels.getString("totals.romi_pct"), days.getString("totals.romi_pct"));

        JsonPath months = json(tenant, "trend", PERIOD + "&interval=month");
        assertEquals(List.of("2026-07", "2026-08"), months.getList("items.month"));
        assertEquals(List.of(new BigDecimal("1000.00"), new BigDecimal("11550.00")), months.getList("items.cost"));
        JsonPath byChannel = json(tenant, "trend", PERIOD + "&group_by=channel");
        assertEquals(List.of("2026-07-15|paid_search", "2026-08-05|paid_search", "2026-08-05|paid_social", "2026-08-07|paid_search",
                "2026-08-20|paid_search"), byChannel.getList("items").stream().map(i -> ((java.util.Map<?, ?>) i).get("day") + "|"
                + ((java.util.Map<?, ?>) i).get("channel")).toList());

        io.throughline.reporting.ReportFixtures.report(tenant, "trend", PERIOD + "&interval=week").statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("interval"));
        io.throughline.reporting.ReportFixtures.report(tenant, "trend", PERIOD + "&group_by=day").statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("group_by"));
        io.throughline.reporting.ReportFixtures.report(tenant, "channels", PERIOD + "&group_by=day").statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("group_by"));
        io.throughline.reporting.ReportFixtures.report("rep-trend-other", "trend", PERIOD).statusCode(200).body("items", org.hamcrest.Matchers.empty());
    }

    /** Leads: p1, p2, p3 (and p4 with its deal); p1's second form is a duplicate. */
    private static void assertFigures(JsonPath r, String cost, String revenue, int deals) {
        assertEquals(new BigDecimal(cost), r.get("items[0].cost"), "1,000 + 2,000 + 4,000 RUB and 100 USD at 92.50 (then as changed)");
        assertEquals(new BigDecimal(revenue), r.get("items[0].revenue"), "payments of Jul 15, Aug 20 (Aug 6), Sep 9; not Sep 11");
        assertEquals(deals, ((Number) r.get("items[0].deals")).intValue());
        assertEquals(deals, ((Number) r.get("items[0].leads")).intValue());
        assertEquals(1, ((Number) r.get("items[0].duplicates")).intValue());
        assertEquals(30, ((Number) r.get("items[0].sessions")).intValue());
        assertEquals(0, r.getList("meta.rate_gaps").size());
    }

    private void assertTwinsMatchTheirDays() throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            for (String pair : TWINS) {
                String daily = pair.split(":")[0];
                String monthly = pair.split(":")[1];
                List<String> keys = columns(s, monthly, true);
                List<String> measures = columns(s, monthly, false);
                String fromDays = "SELECT tenant_id, month, " + String.join(", ", keys) + ", "
                        + String.join(", ", measures.stream().map(m -> "sum(COALESCE(" + m + ", 0))").toList()) + " FROM " + daily
                        + " GROUP BY tenant_id, month, " + String.join(", ", keys);
                String twin = "SELECT tenant_id, month, " + String.join(", ", keys) + ", " + String.join(", ", measures) + " FROM " + monthly;
                for (String q : List.of("(" + fromDays + ") EXCEPT (" + twin + ")", "(" + twin + ") EXCEPT (" + fromDays + ")")) {
                    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM (" + q + ") AS differing")) {
                        rs.next();
                        assertEquals(0, rs.getInt(1), monthly + " differs from " + daily + "'s days");
                    }
                }
            }
        }
    }

    /** The twin's key columns after tenant_id and month (its primary key), or its measure columns (the rest). */
    private static List<String> columns(Statement s, String table, boolean keys) throws Exception {
        String sql = "SELECT a.attname, a.attnum = ANY(i.indkey) FROM pg_attribute a JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary"
                + " WHERE a.attrelid = '" + table + "'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";
        List<String> out = new java.util.ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (!List.of("tenant_id", "month").contains(name) && rs.getBoolean(2) == keys) {
                    out.add(name);
                }
            }
        }
        return out;
    }
}
