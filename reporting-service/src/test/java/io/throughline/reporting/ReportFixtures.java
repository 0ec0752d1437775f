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

    /** The report's JSON with numbers as BigDecimal (38.75 stays 38.75). */
    public static JsonPath json(String tenant, String report, String query) {
        String body = report(tenant, report, query).statusCode(200).extract().asString();
        return new JsonPath(body).using(new JsonPathConfig(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }
}
