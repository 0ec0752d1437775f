package io.throughline.attribution.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_attribution_test"))
class ComputeResourceTest {

    private static final String PATHS = """
            [{"channels": ["a", "b"], "conversions": 1, "nulls": 0, "value": 100},
             {"channels": ["a"], "conversions": 0, "nulls": 1, "value": 0},
             {"channels": ["b"], "conversions": 1, "nulls": 1, "value": 50}]""";

    /** Numbers read as doubles (rest-assured's default, float, loses the precision the credits are checked to). */
    private static final io.restassured.config.RestAssuredConfig DOUBLES = io.restassured.RestAssured.config().jsonConfig(
            io.restassured.config.JsonConfig.jsonConfig().numberReturnType(io.restassured.path.json.config.JsonPathConfig.NumberReturnType.DOUBLE));

    private static ValidatableResponse compute(String body) {
        return given().config(DOUBLES).auth().oauth2(TestTokens.user("acme", "analyst")).contentType(ContentType.JSON).body(body)
                .when().post("/api/attribution/compute").then();
    }

    @Test
    void positionBasedAndMarkovOverAPostedPathTable() {
        compute("{\"model\": \"position_based\", \"params\": {\"first\": 0.6, \"middle\": 0.2, \"last\": 0.2}, \"paths\": " + PATHS + "}")
                .statusCode(200).body("model", equalTo("position_based")).body("total_conversions", equalTo(2.0))
                .body("credits.find { it.channel == 'a' }.conversions", closeTo(0.75, 1e-9))
                .body("credits.find { it.channel == 'b' }.conversions", closeTo(1.25, 1e-9))
                .body("credits.find { it.channel == 'b' }.value", closeTo(75.0, 1e-9));
        compute("{\"model\": \"markov\", \"params\": {\"order\": 1}, \"paths\": " + PATHS + "}").statusCode(200)
                .body("credits.find { it.channel == 'a' }.conversions", closeTo(0.5, 1e-9))
                .body("removal_effects.b", closeTo(1.0, 1e-9))
                .body("transition_matrix.'(start)'.a", closeTo(0.5, 1e-9));
        compute("{\"model\": \"time_decay\", \"params\": {\"half_life_days\": 7}, \"paths\": [{\"channels\": [\"a\", \"b\"], \"conversions\": 1, "
                + "\"touch_times\": [\"2026-11-01T00:00:00Z\", \"2026-11-08T00:00:00Z\"], \"conversion_time\": \"2026-11-08T00:00:00Z\"}]}")
                .statusCode(200).body("credits.find { it.channel == 'a' }.conversions", closeTo(1.0 / 3, 1e-9));
        compute("{\"model\": \"w_shaped\", \"paths\": [{\"channels\": [\"a\", \"b\", \"c\"], \"conversions\": 1, "
                + "\"roles\": [[], [\"lead_creation\", \"opportunity_creation\"], []]}]}")
                .statusCode(200).body("credits.find { it.channel == 'b' }.conversions", closeTo(0.6, 1e-9));
        compute("{\"model\": \"shapley_conversion_rate\", \"paths\": " + PATHS + "}").statusCode(200).body("shapley_values.a", notNullValue());
    }

    @Test
    void badInputIsA400NamingTheFieldAndUnsupportableDataA422() {
        compute("{\"model\": \"position_based\", \"params\": {\"first\": 0.5, \"middle\": 0.5, \"last\": 0.5}, \"paths\": " + PATHS + "}")
                .statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("params"));
        compute("{\"model\": \"magic\", \"paths\": " + PATHS + "}").statusCode(400).body("errors[0].field", equalTo("model"));
        compute("{\"model\": \"linear\", \"paths\": []}").statusCode(400).body("errors[0].field", equalTo("paths"));
        compute("{\"model\": \"linear\", \"paths\": [{\"channels\": [\"a\"], \"conversions\": 1}, {\"channels\": [\"b\"], \"conversions\": -2}]}")
                .statusCode(400).body("errors[0].field", equalTo("paths[1].conversions"));
        compute("{\"model\": \"time_decay\", \"paths\": [{\"channels\": [\"a\", \"b\"], \"conversions\": 1, \"touch_times\": [\"2026-11-01T00:00:00Z\"], "
                + "\"conversion_time\": \"2026-11-08T00:00:00Z\"}]}").statusCode(400).body("errors[0].field", equalTo("paths[0].touch_times"));
        compute("{\"model\": \"time_decay\", \"paths\": [{\"channels\": [\"a\"], \"conversions\": 1}]}").statusCode(400)
                .body("errors[0].field", equalTo("paths[0].touch_times"));
        compute("{\"model\": \"markov\", \"params\": {\"order\": 9}, \"paths\": " + PATHS + "}").statusCode(400)
                .body("errors[0].field", equalTo("params.order"));
        compute("{\"model\": \"markov\", \"paths\": [{\"channels\": [\"a\"], \"conversions\": 0, \"nulls\": 4}]}").statusCode(422)
                .body("errors[0].field", equalTo("paths"));
        compute("{\"model\": \"w_shaped\", \"paths\": [{\"channels\": [\"a\"], \"conversions\": 1, \"roles\": [[\"boss\"]]}]}").statusCode(400)
                .body("errors[0].field", equalTo("paths[0].roles"));
        compute("not json").statusCode(400);
    }

    @Test
    void aCsvPathTableGivesTheSameCreditsAsJson() {
        String csv = "path,conversions,nulls,value\na > b,1,0,100\na,0,1,0\nb,1,1,50\n";
        given().config(DOUBLES).auth().oauth2(TestTokens.user("acme", "analyst")).contentType("text/csv").body(csv).queryParam("model", "markov")
                .when().post("/api/attribution/compute/csv").then().statusCode(200)
                .body("credits.find { it.channel == 'a' }.conversions", closeTo(0.5, 1e-9))
                .body("credits.find { it.channel == 'b' }.value", closeTo(112.5, 1e-9));
        given().config(DOUBLES).auth().oauth2(TestTokens.user("acme", "analyst")).contentType("text/csv").body("path;conversions\na|b;2\n")
                .queryParam("model", "linear").queryParam("separator", "|")
                .when().post("/api/attribution/compute/csv").then().statusCode(200)
                .body("credits.channel", hasItem("b")).body("credits.find { it.channel == 'a' }.conversions", closeTo(1.0, 1e-9));
        given().config(DOUBLES).auth().oauth2(TestTokens.user("acme", "analyst")).contentType("text/csv").body("channels,count\na,1\n")
                .queryParam("model", "linear").when().post("/api/attribution/compute/csv").then().statusCode(400)
                .body("errors[0].field", equalTo("body"));
        given().config(DOUBLES).auth().oauth2(TestTokens.user("acme", "analyst")).contentType("text/csv").body("path,conversions\na > b,lots\n")
                .queryParam("model", "linear").when().post("/api/attribution/compute/csv").then().statusCode(400)
                .body("errors[0].field", equalTo("row 2.conversions"));
    }

    @Test
    void analystsAndAdminsOnly() {
        given().contentType(ContentType.JSON).body("{}").when().post("/api/attribution/compute").then().statusCode(401);
        given().auth().oauth2(TestTokens.user("acme", "audience-reader")).contentType(ContentType.JSON).body("{\"model\": \"linear\", \"paths\": " + PATHS + "}")
                .when().post("/api/attribution/compute").then().statusCode(403);
    }
}
