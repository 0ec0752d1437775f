package io.throughline.reporting.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Spend in: the JSON API, uploads of every format, a day replaced by its re-import, refused rows named, roles and limits. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class, initArgs = @ResourceArg(name = "database", value = "throughline_reporting_test"))
class SpendImportTest {

    private static byte[] sample(String name) {
        try (InputStream in = SpendImportTest.class.getResourceAsStream("/spend/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String row(String day, String campaign, String cost) {
        return "{\"day\": \"" + day + "\", \"platform\": \"yandex_direct\", \"account\": \"acc\", \"campaign\": \"" + campaign + "\", \"cost\": " + cost
                + ", \"clicks\": 10, \"currency\": \"RUB\"}";
    }

    private static ValidatableResponse put(String tenant, String role, String... rows) {
        return given().auth().oauth2(TestTokens.user(tenant, role)).contentType(ContentType.JSON).body("{\"rows\": [" + String.join(",", rows) + "]}")
                .when().post("/api/reporting/spend").then();
    }

    /** Uploads a file and waits for its import to finish; answers the finished import. */
    static JsonPath upload(String tenant, String format, String query, byte[] body, String type) {
        String location = given().auth().oauth2(TestTokens.user(tenant, "ingest")).contentType(type).body(body)
                .when().post("/api/reporting/spend/imports?format=" + format + query).then().statusCode(202).extract().header("Location");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            JsonPath i = given().auth().oauth2(TestTokens.user(tenant, "analyst")).when().get(location).then().statusCode(200).extract().jsonPath();
            if (!i.getString("status").equals("running")) {
                return i;
            }
        }
        throw new AssertionError("the import did not finish");
    }

    @Test
    void theApiImportsGoodRowsNamesBadOnesAndAnswersTheSummary() {
        put("spend-api", "ingest", row("2026-11-01", "a", "100.50"), row("2026-11-01", "b", "20"), row("2026-11-02", "c", "1.001"))
                .statusCode(200).body("status", equalTo("done")).body("summary.rows_read", equalTo(3)).body("summary.inserted", equalTo(2))
                .body("summary.rejected", equalTo(1)).body("rejections[0].line", equalTo(2)).body("rejections[0].field", equalTo("cost"))
                .body("progress.percent", equalTo(100.0f));
        put("spend-api", "admin", row("2026-11-01", "a", "-1")).statusCode(400).body("errors[0].field", equalTo("rows[0].cost"));
        put("spend-api", "admin", "{\"day\": \"2026-11-01\"}").statusCode(400).body("errors.field", hasItem("rows[0].platform"));
        given().auth().oauth2(TestTokens.user("spend-api", "analyst")).when().get("/api/reporting/spend?from=2026-11-01&to=2026-11-30").then()
                .statusCode(200).body("items", hasSize(2)).body("items[0].cost", equalTo(100.5f)).body("items[0].channel", equalTo("paid_search"));
    }

    @Test
    void reimportingADayReplacesItNeverAddsToIt() {
        put("spend-replace", "admin", row("2026-11-05", "a", "100"), row("2026-11-05", "b", "200"), row("2026-11-06", "c", "300")).statusCode(200);
        put("spend-replace", "admin", row("2026-11-05", "a", "150")).statusCode(200).body("summary.inserted", equalTo(0))
                .body("summary.replaced", equalTo(1)).body("summary.removed", equalTo(1));
        given().auth().oauth2(TestTokens.user("spend-replace", "analyst")).when().get("/api/reporting/spend?from=2026-11-01&to=2026-11-30").then()
                .statusCode(200).body("items.campaign", equalTo(java.util.List.of("a", "c"))).body("items[0].cost", equalTo(150.0f));
    }

    @Test
    void everyPlatformsOwnReportImportsWithLineNumbersForWhatItRefuses() {
        JsonPath y = upload("spend-files", "yandex_direct", "&account=shop-direct&currency=RUB", sample("yandex-direct-report.tsv"), "text/tab-separated-values");
        assertEquals("done", y.getString("status"));
        assertEquals(3, y.getInt("summary.inserted"));
        assertEquals(6, y.getInt("rejections[0].line"));
        JsonPath g = upload("spend-files", "google_ads", "", sample("google-ads-searchstream.json"), "application/json");
        assertEquals(2, g.getInt("summary.inserted"));
        assertEquals("metrics.costMicros", g.getString("rejections[0].field"));
        JsonPath m = upload("spend-files", "meta", "", sample("meta-insights.json"), "application/json");
        assertEquals(2, m.getInt("summary.inserted"));
        JsonPath v = upload("spend-files", "vk_ads", "&account=vk-1&currency=RUB", sample("vk-ads-statistics.json"), "application/json");
        assertEquals(2, v.getInt("summary.inserted"));
        assertEquals(1, v.getInt("summary.rejected"));
        JsonPath c = upload("spend-files", "csv", "", sample("spend-semicolon.csv"), "text/csv");
        assertEquals(3, c.getInt("summary.inserted"));
        assertEquals(4, c.getInt("summary.rejected"));
        assertEquals(java.util.List.of(5, 6, 7, 8), c.getList("rejections.line"));
        given().auth().oauth2(TestTokens.user("spend-files", "analyst")).when().get("/api/reporting/spend?from=2026-11-01&to=2026-11-30&platform=google_ads")
                .then().statusCode(200).body("items[0].currency", equalTo("USD")).body("items[0].cost", equalTo(123.45f));
        given().auth().oauth2(TestTokens.user("spend-files", "analyst")).when().get("/api/reporting/spend/imports?limit=2").then().statusCode(200)
                .body("items", hasSize(2)).body("items[0].format", equalTo("csv"));
    }

    @Test
    void uploadsAreCheckedBeforeTheyAreAccepted() {
        String url = "/api/reporting/spend/imports";
        given().auth().oauth2(TestTokens.user("spend-checks", "admin")).contentType("text/csv").body("x").when().post(url + "?format=excel").then()
                .statusCode(400).body("errors[0].field", equalTo("format"));
        given().auth().oauth2(TestTokens.user("spend-checks", "admin")).contentType("text/tab-separated-values").body(sample("yandex-direct-report.tsv"))
                .when().post(url + "?format=yandex_direct").then().statusCode(400).body("errors[0].field", equalTo("currency"));
        given().auth().oauth2(TestTokens.user("spend-checks", "admin")).contentType("text/csv").body(new byte[] {(byte) 0xff, (byte) 0xfe, 0x41})
                .when().post(url + "?format=csv").then().statusCode(400).body("errors[0].field", equalTo("body"));
        given().auth().oauth2(TestTokens.user("spend-checks", "admin")).contentType("text/csv").body("day,platform,currency\n").when()
                .post(url + "?format=csv").then().statusCode(400).body("errors[0].field", equalTo("body"));
        given().auth().oauth2(TestTokens.user("spend-checks", "admin")).contentType("text/csv").body(new byte[300_000]).when()
                .post(url + "?format=csv").then().statusCode(413);
    }

    @Test
    void importsNeedTheRightRoleAndStayInTheirWorkspace() {
        given().contentType(ContentType.JSON).body("{\"rows\": [" + row("2026-11-01", "a", "1") + "]}").when().post("/api/reporting/spend").then()
                .statusCode(401);
        put("spend-roles", "analyst", row("2026-11-01", "a", "1")).statusCode(403);
        String id = put("spend-roles", "ingest", row("2026-11-01", "a", "1")).statusCode(200).extract().path("id");
        given().auth().oauth2(TestTokens.user("spend-roles", "analyst")).when().get("/api/reporting/spend/imports/" + id).then().statusCode(200);
        given().auth().oauth2(TestTokens.user("spend-other", "analyst")).when().get("/api/reporting/spend/imports/" + id).then().statusCode(404);
        given().auth().oauth2(TestTokens.user("spend-other", "analyst")).when().get("/api/reporting/spend?from=2026-11-01&to=2026-11-30").then()
                .statusCode(200).body("items", hasSize(0));
    }
}
