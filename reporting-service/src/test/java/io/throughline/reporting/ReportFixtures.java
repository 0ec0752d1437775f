package io.throughline.reporting;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.ValidatableResponse;
import io.throughline.testkit.TestTokens;

/** Reading reports as an analyst would, money and percentages as exact decimals. */
public final class ReportFixtures {

    private ReportFixtures() {
    }

    public static ValidatableResponse report(String tenant, String report, String query) {
        return given().auth().oauth2(TestTokens.user(tenant, "analyst")).when().get("/api/reporting/reports/" + report + "?" + query).then();
    }

    /** A number of a report's JSON as an exact decimal. */
    public static java.math.BigDecimal n(JsonPath r, String path) {
        Object v = r.get(path);
        return v == null ? null : new java.math.BigDecimal(String.valueOf(v));
    }

    public static java.math.BigDecimal d(String value) {
        return new java.math.BigDecimal(value);
    }

    /** Replaces the workspace's report settings. */
    public static void settings(String tenant, String json) {
        given().auth().oauth2(TestTokens.user(tenant, "admin")).contentType(io.restassured.http.ContentType.JSON).body(json)
                .when().put("/api/reporting/settings").then().statusCode(200);
    }

    /** The report's JSON with numbers as BigDecimal (38.75 stays 38.75). */
    public static JsonPath json(String tenant, String report, String query) {
        String body = report(tenant, report, query).statusCode(200).extract().asString();
        return new JsonPath(body).using(new JsonPathConfig(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }
}
