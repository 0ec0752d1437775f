package io.throughline.reporting.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.config.JsonPathConfig;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_reporting_test"))
class CostResourceTest {

    private static final String PATH = "/api/reporting/costs";

    private static String rows(String tenantRows) {
        return "{\"rows\": [" + tenantRows + "]}";
    }

    private static String row(String day, String source, String campaign, String amount, String currency) {
        return "{\"day\": \"" + day + "\", \"source\": \"" + source + "\", \"campaign\": \"" + campaign
                + "\", \"amount\": " + amount + ", \"currency\": \"" + currency + "\"}";
    }

    @Test
    void refusesAnonymousAndWrongRoles() {
        given().when().get(PATH + "?from=2026-11-01&to=2026-11-30").then().statusCode(401);
        given().auth().oauth2(TestTokens.user("acme", "analyst")).contentType(ContentType.JSON)
                .body(rows(row("2026-11-01", "yandex", "brand", "10", "RUB"))).when().put(PATH).then().statusCode(403);
        given().auth().oauth2(TestTokens.user("acme", "ingest")).when().get(PATH + "?from=2026-11-01&to=2026-11-30")
                .then().statusCode(403);
    }

    @Test
    void reimportingADayReplacesItAndMoneyKeepsTheCurrencysDigits() {
        given().auth().oauth2(TestTokens.user("acme", "ingest")).contentType(ContentType.JSON)
                .body(rows(row("2026-11-01", "yandex", "brand", "18500", "RUB") + "," + row("2026-11-02", "vk", "retarget", "4200.5", "RUB")))
                .when().put(PATH).then().statusCode(200).body("stored", equalTo(2));
        given().auth().oauth2(TestTokens.user("acme", "ingest")).contentType(ContentType.JSON)
                .body(rows(row("2026-11-01", "yandex", "brand", "17000.25", "RUB")))
                .when().put(PATH).then().statusCode(200);
        given().auth().oauth2(TestTokens.user("acme", "analyst")).when().get(PATH + "?from=2026-11-01&to=2026-11-30")
                .then().statusCode(200)
                .body("items", hasSize(2))
                .body("items[0].amount", equalTo(17000.25f))
                .body("items[1].source", equalTo("vk"))
                .body("next_cursor", nullValue());
        String raw = given().auth().oauth2(TestTokens.user("acme", "analyst")).when().get(PATH + "?from=2026-11-02&to=2026-11-02")
                .then().extract().asString();
        org.junit.jupiter.api.Assertions.assertTrue(raw.contains("\"amount\":4200.50"), raw);
    }

    @Test
    void namesEveryBadRowAndStoresNothing() {
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON)
                .body(rows(row("2026-12-01", "yandex", "a", "1.001", "RUB") + "," + row("2026-12-01", "vk", "b", "5", "XYZ")
                        + "," + row("2026-12-01", "vk", "c", "-5", "RUB")))
                .when().put(PATH).then().statusCode(400)
                .body("errors.field", hasItem("rows[0].amount"))
                .body("errors.field", hasItem("rows[1].currency"))
                .body("errors.field", hasItem("rows[2].amount"));
        given().auth().oauth2(TestTokens.user("acme", "analyst")).when().get(PATH + "?from=2026-12-01&to=2026-12-31")
                .then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void periodMustBeGivenAndSane() {
        given().auth().oauth2(TestTokens.user("acme", "analyst")).when().get(PATH)
                .then().statusCode(400).body("errors[0].field", equalTo("from"));
        given().auth().oauth2(TestTokens.user("acme", "analyst")).when().get(PATH + "?from=2026-11-30&to=2026-11-01")
                .then().statusCode(400).body("errors[0].field", equalTo("to"));
        given().auth().oauth2(TestTokens.user("acme", "analyst")).when().get(PATH + "?from=yesterday&to=2026-11-01")
                .then().statusCode(400).body("errors[0].field", equalTo("from"));
    }

    @Test
    void pagesWithACursorAndKeepsWorkspacesApart() {
        StringBuilder many = new StringBuilder();
        for (int i = 1; i <= 5; i++) {
            many.append(i > 1 ? "," : "").append(row("2027-01-0" + i, "google", "c" + i, "100", "USD"));
        }
        given().auth().oauth2(TestTokens.user("globex", "admin")).contentType(ContentType.JSON).body(rows(many.toString()))
                .when().put(PATH).then().statusCode(200);
        String cursor = given().auth().oauth2(TestTokens.user("globex", "analyst")).when()
                .get(PATH + "?from=2027-01-01&to=2027-01-31&limit=3").then().statusCode(200)
                .body("items", hasSize(3)).extract().path("next_cursor");
        given().auth().oauth2(TestTokens.user("globex", "analyst")).queryParam("cursor", cursor).when()
                .get(PATH + "?from=2027-01-01&to=2027-01-31&limit=3").then().statusCode(200)
                .body("items", hasSize(2)).body("items[0].campaign", equalTo("c4"));
        given().auth().oauth2(TestTokens.user("acme", "analyst")).when().get(PATH + "?from=2027-01-01&to=2027-01-31")
                .then().statusCode(200).body("items", hasSize(0));
    }
}
