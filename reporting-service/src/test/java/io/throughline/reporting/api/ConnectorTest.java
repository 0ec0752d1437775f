package io.throughline.reporting.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.throughline.reporting.FakePlatforms;
import io.throughline.commons.net.ConnectorUrls;
import io.throughline.reporting.processing.ConnectorPulls;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scheduled pulls from the four platforms against a local fake that checks their documented request formats. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class, initArgs = @ResourceArg(name = "database", value = "throughline_reporting_test"))
class ConnectorTest {

    @Inject
    ConnectorPulls pulls;

    @Inject
    DataSource db;

    FakePlatforms fake;

    @BeforeEach
    void start() throws Exception {
        fake = new FakePlatforms();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private String connector(String tenant, String platform, String account, String currency, String credentials, String options) {
        return given().auth().oauth2(TestTokens.user(tenant, "admin")).contentType(ContentType.JSON)
                .body("{\"name\": \"" + platform + "\", \"platform\": \"" + platform + "\", \"account\": \"" + account + "\", \"currency\": \"" + currency
                        + "\", \"base_url\": \"" + fake.url() + "\", \"credentials\": " + credentials + ", \"options\": " + options + "}")
                .when().post("/api/reporting/connectors").then().statusCode(201).body("credentials_set", equalTo(true))
                .body("$", not(org.hamcrest.Matchers.hasKey("credentials"))).extract().path("id");
    }

    private JsonPath pulled(String tenant, String id) {
        given().auth().oauth2(TestTokens.user(tenant, "admin")).when().post("/api/reporting/connectors/" + id + "/pull?from=2026-11-01&to=2026-11-02")
                .then().statusCode(202);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            JsonPath c = given().auth().oauth2(TestTokens.user(tenant, "analyst")).when().get("/api/reporting/connectors/" + id).then().statusCode(200)
                    .extract().jsonPath();
            if (c.getString("last_import_id") != null || c.getString("last_error") != null) {
                return c;
            }
        }
        throw new AssertionError("the pull did not finish");
    }

    private static JsonPath importOf(String tenant, String id) {
        return given().auth().oauth2(TestTokens.user(tenant, "analyst")).when().get("/api/reporting/spend/imports/" + id).then().statusCode(200)
                .extract().jsonPath();
    }

    @Test
    void yandexDirectIsPolledUntilItsOfflineReportIsReadyThenImported() {
        String id = connector("conn-yandex", "yandex_direct", "shop-direct", "RUB", "{\"token\": \"y0-token\"}", "{}");
        JsonPath c = pulled("conn-yandex", id);
        assertNull(c.getString("last_error"), c.prettify());
        JsonPath i = importOf("conn-yandex", c.getString("last_import_id"));
        assertEquals("connector:yandex_direct", i.getString("origin"));
        assertEquals(3, i.getInt("summary.inserted"));
        assertEquals(2, fake.seen.stream().filter(s -> s.path().equals("/json/v5/reports")).count(), "201, then the report");
    }

    @Test
    void googleAdsExchangesTheRefreshTokenAndStreamsGaql() {
        String id = connector("conn-google", "google_ads", "123-456-7890", "USD",
                "{\"developer_token\": \"dev-token\", \"refresh_token\": \"rt-1\", \"client_id\": \"cid\", \"client_secret\": \"cs\"}",
                "{\"token_url\": \"" + fake.url() + "/token\"}");
        JsonPath c = pulled("conn-google", id);
        assertNull(c.getString("last_error"), c.prettify());
        assertEquals(2, importOf("conn-google", c.getString("last_import_id")).getInt("summary.inserted"));
        assertTrue(fake.seen.stream().anyMatch(s -> s.path().equals("/v21/customers/1234567890/googleAds:searchStream")));
    }

    @Test
    void metaInsightsArePagedAndVkAdsNamesItsAdPlans() {
        String meta = connector("conn-social", "meta", "998877", "EUR", "{\"access_token\": \"meta-token\"}", "{}");
        JsonPath m = pulled("conn-social", meta);
        assertNull(m.getString("last_error"), m.prettify());
        assertEquals(3, importOf("conn-social", m.getString("last_import_id")).getInt("summary.inserted"), "two rows of page one, one of page two");
        String vk = given().auth().oauth2(TestTokens.user("conn-social", "admin")).contentType(ContentType.JSON)
                .body("{\"name\": \"vk\", \"platform\": \"vk_ads\", \"account\": \"vk-1\", \"currency\": \"RUB\", \"base_url\": \"" + fake.url()
                        + "\", \"credentials\": {\"access_token\": \"vk-token\"}}").when().post("/api/reporting/connectors").then().statusCode(201)
                .extract().path("id");
        JsonPath v = pulled("conn-social", vk);
        assertNull(v.getString("last_error"), v.prettify());
        assertEquals(2, importOf("conn-social", v.getString("last_import_id")).getInt("summary.inserted"));
        given().auth().oauth2(TestTokens.user("conn-social", "analyst")).when().get("/api/reporting/spend?from=2026-11-01&to=2026-11-30&platform=vk_ads")
                .then().statusCode(200).body("items.campaign", hasItem("retargeting"));
    }

    @Test
    void throttlingIsRetriedAndARefusalBacksOffWithTheErrorKept() {
        fake.failFirst.set(2);
        String id = connector("conn-retry", "vk_ads", "vk-1", "RUB", "{\"access_token\": \"vk-token\"}", "{}");
        JsonPath c = pulled("conn-retry", id);
        assertNull(c.getString("last_error"), "two 503s, then served: " + c.prettify());
        String bad = connector("conn-retry", "meta", "998877", "EUR", "{\"access_token\": \"wrong\"}", "{}");
        JsonPath refused = pulled("conn-retry", bad);
        assertTrue(refused.getString("last_error").contains("refused the request (400)"), refused.prettify());
        assertEquals(1, refused.getInt("failed_attempts"));
        assertTrue(Instant.parse(refused.getString("next_run_at")).isAfter(Instant.now()));
    }

    /** OWASP API1: another workspace's admin gets a 404 on every route taking a connector or an import id, writes included. */
    @Test
    void anotherWorkspacesConnectorsAndImportsAreA404ForReadsAndWrites() {
        String id = connector("conn-owner", "vk_ads", "vk-9", "RUB", "{\"access_token\": \"owner-token\"}", "{}");
        String intruder = TestTokens.user("conn-intruder", "admin");
        String change = "{\"platform\": \"vk_ads\", \"account\": \"vk-stolen\", \"currency\": \"RUB\", \"base_url\": \"" + fake.url() + "\","
                + " \"credentials\": {\"access_token\": \"intruder-token\"}}";
        given().auth().oauth2(intruder).when().get("/api/reporting/connectors/" + id).then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(intruder).contentType(ContentType.JSON).body(change).when().put("/api/reporting/connectors/" + id).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(intruder).when().post("/api/reporting/connectors/" + id + "/pull?from=2026-11-01&to=2026-11-02").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(intruder).when().delete("/api/reporting/connectors/" + id).then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.user("conn-owner", "analyst")).when().get("/api/reporting/connectors/" + id).then().statusCode(200)
                .body("account", equalTo("vk-9"));
        String imported = given().auth().oauth2(TestTokens.user("conn-owner", "admin")).contentType("text/csv")
                .body("day,platform,campaign,cost,currency\n2026-11-01,vk_ads,autumn,10.50,RUB\n").when().post("/api/reporting/spend/imports?format=csv")
                .then().statusCode(202).extract().path("id");
        given().auth().oauth2(intruder).when().get("/api/reporting/spend/imports/" + imported).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(TestTokens.user("conn-owner", "analyst")).when().get("/api/reporting/spend/imports/" + imported).then().statusCode(200);
    }

    @Test
    void connectorsAreCheckedAndTheirCredentialsSealedAndNeverShown() throws Exception {
        given().auth().oauth2(TestTokens.user("conn-checks", "admin")).contentType(ContentType.JSON)
                .body("{\"name\": \"x\", \"platform\": \"tiktok\", \"currency\": \"RUB\", \"credentials\": {}, \"base_url\": \"ftp://x\"}")
                .when().post("/api/reporting/connectors").then().statusCode(400).body("errors.field", hasItem("platform"))
                .body("errors.field", hasItem("account")).body("errors.field", hasItem("base_url"));
        String id = connector("conn-checks", "vk_ads", "vk-1", "RUB", "{\"access_token\": \"super-secret-token\"}", "{}");
        try (var c = db.getConnection(); var s = c.prepareStatement("SELECT credentials FROM spend_connectors WHERE id = ?::uuid")) {
            s.setString(1, id);
            var rs = s.executeQuery();
            rs.next();
            assertTrue(!new String(rs.getBytes(1), java.nio.charset.StandardCharsets.ISO_8859_1).contains("super-secret-token"), "sealed at rest");
        }
        given().auth().oauth2(TestTokens.user("conn-checks", "analyst")).when().get("/api/reporting/connectors").then().statusCode(200)
                .body(not(org.hamcrest.Matchers.containsString("super-secret-token")));
        given().auth().oauth2(TestTokens.user("conn-other", "admin")).when().get("/api/reporting/connectors/" + id).then().statusCode(404);
        given().auth().oauth2(TestTokens.user("conn-checks", "analyst")).when().delete("/api/reporting/connectors/" + id).then().statusCode(403);
        assertNotNull(ConnectorUrls.check("https://127.0.0.1:8443", false));
        assertNotNull(ConnectorUrls.check("https://10.1.2.3", false));
        assertNotNull(ConnectorUrls.check("http://api.direct.yandex.com", false), "plain http carries the token in clear");
        assertNotNull(ConnectorUrls.check("https://user:pw@example.com", false));
        assertNotNull(ConnectorUrls.check("https://[::1]/", false));
        assertNull(ConnectorUrls.check("http://127.0.0.1:9999", true), "the operator allowed private networks");
    }
}
