package io.throughline.reporting.api;

import static io.restassured.RestAssured.given;
import static io.throughline.reporting.ReportFixtures.d;
import static io.throughline.reporting.ReportFixtures.json;
import static io.throughline.reporting.ReportFixtures.n;
import static io.throughline.reporting.ReportFixtures.settings;
import static io.throughline.reporting.ReportWorld.k;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.nio.charset.Charset;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rates, overheads and settings as reports use them: conversion at each day's rate with gaps reported, fully loaded cost, zones. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class, initArgs = @ResourceArg(name = "database", value = "throughline_reporting_test"))
class MoneyInputsTest {

    private static final String NOVEMBER = "from=2026-11-01&to=2026-11-30";

    @Inject
    FeedSync sync;

    private static String cbr(String date, String usd) {
        return "<?xml version=\"1.0\" encoding=\"windows-1251\"?><ValCurs Date=\"" + date + "\" name=\"Foreign Currency Market\"><Valute ID=\"R01235\">"
                + "<NumCode>840</NumCode><CharCode>USD</CharCode><Nominal>1</Nominal><Name>Доллар США</Name><Value>" + usd + "</Value></Valute></ValCurs>";
    }

    private static void rates(String tenant, String xml) {
        given().auth().oauth2(TestTokens.user(tenant, "admin")).contentType("application/xml").body(xml.getBytes(Charset.forName("windows-1251")))
                .when().post("/api/reporting/rates/imports?format=cbr_xml").then().statusCode(200).body("inserted", equalTo(1));
    }

    @Test
    void spendInAnotherCurrencyIsConvertedAtItsDaysRateAndADayWithoutOneIsAReportedGapNeverOne() {
        String tenant = "money-usd";
        var ads = k("paid_search", "google", "usd");
        String row = "{\"day\": \"%s\", \"platform\": \"google_ads\", \"campaign\": \"usd\", \"cost\": 100, \"currency\": \"USD\", \"utm_source\": \"google\","
                + " \"utm_medium\": \"cpc\", \"channel\": \"paid_search\"}";
        given().auth().oauth2(TestTokens.user(tenant, "admin")).contentType(ContentType.JSON)
                .body("{\"rows\": [" + String.format(row, "2026-11-07") + ", " + String.format(row, "2026-11-08") + ", " + String.format(row, "2026-11-25")
                        + "]}").when().post("/api/reporting/spend").then().statusCode(200);
        rates(tenant, cbr("07.11.2026", "92,5000"));
        JsonPath r = json(tenant, "channels", NOVEMBER);
        assertEquals(d("18500.00"), n(r, "items[0].cost"), "the 7th at 92.50 and Sunday the 8th at Saturday's rate: 2 x 9,250");
        assertEquals("USD", r.getString("meta.rate_gaps[0].currency"));
        assertEquals(List.of("2026-11-25"), r.getList("meta.rate_gaps[0].days"));
        assertEquals(d("100.00"), n(r, "meta.rate_gaps[0].excluded.cost"), "read for the report and for the cohorts' costs: counted once");
        given().auth().oauth2(TestTokens.user(tenant, "analyst")).when().get("/api/reporting/rates?from=2026-11-01&to=2026-11-30&currency=USD").then()
                .statusCode(200).body("items[0].rate", equalTo(92.5f)).body("items[0].quote", equalTo("RUB"));
        given().auth().oauth2(TestTokens.user(tenant, "admin")).contentType("text/csv").body("day,currency,rate\n2026-11-25,USD,90\n2026-11-26,QQQ,1\n")
                .when().post("/api/reporting/rates/imports?format=csv").then().statusCode(200).body("inserted", equalTo(1))
                .body("rejected[0].line", equalTo(3));
        assertEquals(d("27500.00"), n(json(tenant, "channels", NOVEMBER), "items[0].cost"));
        assertEquals(0, json(tenant, "channels", NOVEMBER).getList("meta.rate_gaps").size());
        given().auth().oauth2(TestTokens.user(tenant, "admin")).contentType("application/xml").body("<html/>").when()
                .post("/api/reporting/rates/imports?format=cbr_xml").then().statusCode(400).body("errors[0].field", equalTo("body"));
    }

    @Test
    void theCentralBanksDailyRatesArePulledDayByDay() throws Exception {
        java.util.List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer bank = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 18779), 0);
        bank.createContext("/scripts/XML_daily.asp", x -> {
            String day = x.getRequestURI().getQuery().substring("date_req=".length());
            asked.add(day);
            byte[] body = cbr(day.replace('/', '.'), "9" + asked.size() + ",0000").getBytes(Charset.forName("windows-1251"));
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        bank.start();
        try {
            given().auth().oauth2(TestTokens.user("money-cbr", "admin")).when().post("/api/reporting/rates/cbr?from=2026-11-02&to=2026-11-04").then()
                    .statusCode(200).body("stored", equalTo(3));
            assertEquals(List.of("02/11/2026", "03/11/2026", "04/11/2026"), asked, "the bank's date_req format");
            given().auth().oauth2(TestTokens.user("money-cbr", "analyst")).when().get("/api/reporting/rates?from=2026-11-01&to=2026-11-30").then()
                    .statusCode(200).body("items.size()", equalTo(3)).body("items[2].rate", equalTo(93)).body("items[0].source", equalTo("cbr"));
        } finally {
            bank.stop(0);
        }
        given().auth().oauth2(TestTokens.user("money-cbr", "admin")).when().post("/api/reporting/rates/cbr?from=2026-11-02&to=2026-11-02").then()
                .statusCode(503);
    }

    @Test
    void overheadsMakeTheFullyLoadedCostAndAreRefusedWhenMalformed() {
        String tenant = "money-overheads";
        ReportWorld w = new ReportWorld(tenant);
        w.spend("2026-11-03", "yandex_direct", k("paid_search", "yandex", "a"), "30000.00", 10);
        w.spend("2026-11-03", "vk_ads", k("paid_social", "vk", "b"), "10000.00", 10);
        given().auth().oauth2(TestTokens.user(tenant, "admin")).contentType(ContentType.JSON)
                .body("{\"items\": [{\"category\": \"salaries\", \"amount\": 8000, \"currency\": \"RUB\"}, {\"category\": \"agency_commission\","
                        + " \"percent_of_spend\": 10, \"channel\": \"paid_search\"}]}")
                .when().put("/api/reporting/overheads/2026-11").then().statusCode(200);
        JsonPath r = json(tenant, "channels", NOVEMBER + "&sort=channel");
        assertEquals(d("9000.00"), n(r, "items[0].overhead"), "6,000 of the salaries by spend share + 3,000 commission");
        assertEquals(d("39000.00"), n(r, "items[0].cost_full"));
        assertEquals(d("2000.00"), n(r, "items[1].overhead"));
        assertEquals(d("11000.00"), n(r, "meta.overheads.allocated"));
        settings(tenant, "{\"overhead_rule\": \"fixed_shares\", \"fixed_shares\": {\"paid_social\": 50}}");
        JsonPath fixed = json(tenant, "channels", NOVEMBER + "&sort=channel");
        assertEquals(d("4000.00"), n(fixed, "items[1].overhead"));
        assertEquals(d("4000.00"), n(fixed, "meta.overheads.unallocated"), "the other half of the salaries belongs to no channel");
        given().auth().oauth2(TestTokens.user(tenant, "admin")).contentType(ContentType.JSON)
                .body("{\"items\": [{\"category\": \"coffee\", \"amount\": 1, \"currency\": \"RUB\"}, {\"category\": \"tools\", \"amount\": 1}]}")
                .when().put("/api/reporting/overheads/2026-11").then().statusCode(400).body("errors.field", hasItem("items[0].category"))
                .body("errors.field", hasItem("items[1].currency"));
        given().auth().oauth2(TestTokens.user(tenant, "analyst")).when().get("/api/reporting/overheads?from=2026-11&to=2026-12").then().statusCode(200)
                .body("items[0].items.size()", equalTo(2));
        given().auth().oauth2(TestTokens.user(tenant, "analyst")).contentType(ContentType.JSON).body("{\"items\": []}").when()
                .put("/api/reporting/overheads/2026-11").then().statusCode(403);
    }

    @Test
    void settingsAreCheckedAndANewZoneRebuildsEveryDailyFigure() throws InterruptedException {
        String tenant = "money-zone";
        given().auth().oauth2(TestTokens.user(tenant, "admin")).contentType(ContentType.JSON)
                .body("{\"currency\": \"ABC\", \"time_zone\": \"Mars/Olympus\", \"fixed_shares\": {\"a\": 120}, \"ltv_horizon_months\": 0,"
                        + " \"platforms\": {\"Yandex Direct\": {\"source\": \"yandex\"}}}").when().put("/api/reporting/settings").then().statusCode(400)
                .body("errors.field", hasItem("currency")).body("errors.field", hasItem("time_zone")).body("errors.field", hasItem("fixed_shares.a"))
                .body("errors.field", hasItem("ltv_horizon_months")).body("errors.field", hasItem("platforms.Yandex Direct"));
        given().auth().oauth2(TestTokens.user(tenant, "admin")).contentType(ContentType.JSON).body("{\"locale\": \"fr-FR\"}")
                .when().put("/api/reporting/settings").then().statusCode(400).body("errors.field", hasItem("locale"));
        // The workspace's locale: ru-RU until changed, then in the settings and in every report's meta (the dashboard formats by it).
        org.junit.jupiter.api.Assertions.assertEquals("ru-RU", json(tenant, "channels", NOVEMBER).getString("meta.locale"));
        String current = given().auth().oauth2(TestTokens.user(tenant, "admin")).when().get("/api/reporting/settings").then().statusCode(200)
                .body("locale", org.hamcrest.Matchers.equalTo("ru-RU")).extract().asString();
        given().auth().oauth2(TestTokens.user(tenant, "admin")).contentType(ContentType.JSON).body(current.replace("\"ru-RU\"", "\"en-US\""))
                .when().put("/api/reporting/settings").then().statusCode(200).body("locale", org.hamcrest.Matchers.equalTo("en-US"))
                .body("time_zone", org.hamcrest.Matchers.equalTo("Europe/Moscow"));
        org.junit.jupiter.api.Assertions.assertEquals("en-US", json(tenant, "trend", NOVEMBER).getString("meta.locale"));
        ReportWorld w = new ReportWorld(tenant);
        // 22:00 UTC on 30 November is already 1 December in Moscow.
        w.deal("late", "2026-11-30T22:00:00Z", k("paid_search", "yandex", "z"), "zone-p", "won", 1000, 1.0, new ReportWorld.Pay("p", "2026-11-30T22:30:00Z", 1000));
        w.publish();
        sync.syncAll();
        assertEquals(d("0"), n(json(tenant, "channels", NOVEMBER), "totals.deals"), "created on 1 December, Moscow time");
        settings(tenant, "{\"time_zone\": \"UTC\"}");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (n(json(tenant, "channels", NOVEMBER + "&tz=UTC"), "totals.deals").signum() == 0) {
            assertTrue(Instant.now().isBefore(deadline), "the rebuild did not land");
            Thread.sleep(100);
        }
        JsonPath r = json(tenant, "channels", NOVEMBER);
        assertEquals(d("1"), n(r, "totals.deals"), "in UTC the deal was created in November");
        assertEquals(d("1"), n(r, "totals.leads"), "and so was its contact");
        assertEquals("UTC", r.getString("meta.period.time_zone"));
    }
}
