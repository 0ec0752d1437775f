package io.throughline.attribution.runs;

import static io.restassured.RestAssured.given;
import static io.throughline.attribution.runs.RunFixtures.credits;
import static io.throughline.attribution.runs.RunFixtures.run;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.throughline.attribution.domain.models.ModelSpec;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A journey built from tracking and calltracking data (the gRPC fakes) and CRM deals (the real API) through every
 * model: the same conversions and money are credited under each, to the touches each model's rule picks.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_attribution_test"))
class RunsTest {

    private static Map<String, Float> conversionsByChannel(String tenant, String runId) {
        JsonPath json = credits(tenant, runId, "channel").statusCode(200).extract().jsonPath();
        Map<String, Float> out = new java.util.TreeMap<>();
        List<Map<String, Object>> rows = json.getList("rows");
        for (Map<String, Object> r : rows) {
            @SuppressWarnings("unchecked")
            Map<String, String> keys = (Map<String, String>) r.get("keys");
            out.put(keys.get("channel"), ((Number) r.get("conversions")).floatValue());
        }
        return out;
    }

    @Test
    void everyModelCreditsTheSameConversionsAndMoneyToTheJourneysTouches() {
        String tenant = "runs-every-model";
        RunFixtures.workspace(tenant);
        for (String model : ModelSpec.MODELS) {
            String id = run(tenant, "{\"model\": \"" + model + "\"}");
            float conversions = given().auth().oauth2(TestTokens.user(tenant, "analyst")).when().get("/api/attribution/runs/" + id).then()
                    .statusCode(200).body("status", equalTo("done")).body("error", nullValue()).body("progress.percent", equalTo(100.0f))
                    .extract().path("conversions");
            assertEquals(2.0f, conversions, 1e-5, model);
            // 14,000 from deal 1 (two payments, one refund) and 3,000 from deal 3; gross profit 60 % (cost 6,000 of 15,000).
            JsonPath totals = credits(tenant, id, "has_click_id").statusCode(200).extract().jsonPath();
            assertEquals(17000.0, totals.getList("rows.revenue", Float.class).stream().mapToDouble(Float::doubleValue).sum(), 0.02, model);
            assertEquals(10200.0, totals.getList("rows.gross_profit", Float.class).stream().mapToDouble(Float::doubleValue).sum(), 0.02, model);
            Map<String, Float> byChannel = conversionsByChannel(tenant, id);
            // Bots, spam calls and the lost deal's journey never earn credit; a journey without touches goes to (no touchpoint).
            assertEquals(1.0f, byChannel.get("(no touchpoint)"), 1e-6, model);
            for (String never : List.of("direct", "display", "social")) {
                assertEquals(null, byChannel.get(never), model + " credited " + never);
            }
        }
    }

    @Test
    void rulesPickTheTouchesTheyName() {
        String tenant = "runs-rules";
        RunFixtures.workspace(tenant);
        assertEquals(Map.of("paid_search", 1f, "(no touchpoint)", 1f), conversionsByChannel(tenant, run(tenant, "{\"model\": \"first_touch\"}")));
        assertEquals(Map.of("organic_search", 1f, "(no touchpoint)", 1f), conversionsByChannel(tenant, run(tenant, "{\"model\": \"last_touch\"}")));
        Map<String, Float> linear = conversionsByChannel(tenant, run(tenant, "{\"model\": \"linear\"}"));
        assertEquals(1 / 3f, linear.get("email"), 1e-6);
        assertEquals(1 / 3f, linear.get("organic_search"), 1e-6);
        // W-shaped: first touch (paid search) 0.3; lead creation and opportunity creation both the e-mail session 0.6; the call 0.1.
        Map<String, Float> w = conversionsByChannel(tenant, run(tenant, "{\"model\": \"w_shaped\"}"));
        assertEquals(0.3f, w.get("paid_search"), 1e-6);
        assertEquals(0.6f, w.get("email"), 1e-6);
        assertEquals(0.1f, w.get("organic_search"), 1e-6);
        // A 3-day lookback (from 5 October 12:00) leaves deal 1 with the call only.
        Map<String, Float> shortWindow = conversionsByChannel(tenant, run(tenant, "{\"model\": \"first_touch\", \"lookback_days\": 3}"));
        assertEquals(Map.of("organic_search", 1f, "(no touchpoint)", 1f), shortWindow);
        // First-touch revenue by campaign and click id: the paid search session carries the yclid.
        credits(tenant, run(tenant, "{\"model\": \"first_touch\"}"), "source,campaign,has_click_id").statusCode(200)
                .body("rows.find { it.keys.campaign == 'sofa-sale' }.revenue", equalTo(14000.0f))
                .body("rows.find { it.keys.campaign == 'sofa-sale' }.gross_profit", equalTo(8400.0f))
                .body("rows.find { it.keys.campaign == 'sofa-sale' }.keys.has_click_id", equalTo("true"))
                .body("rows.find { it.keys.campaign == 'sofa-sale' }.keys.source", equalTo("yandex"));
        // Credits of events in a period: the refund of 12 October alone.
        given().auth().oauth2(TestTokens.user(tenant, "analyst")).queryParam("from", "2026-10-11T00:00:00Z").queryParam("to", "2026-10-13T00:00:00Z")
                .when().get("/api/attribution/runs/" + run(tenant, "{\"model\": \"first_touch\"}") + "/credits").then().statusCode(200)
                .body("rows[0].revenue", equalTo(-1000.0f)).body("rows[0].conversions", equalTo(0.0f));
    }

    @Test
    void dataDrivenRunsExplainThemselvesAndRerunsGiveIdenticalNumbers() {
        String tenant = "runs-markov";
        RunFixtures.workspace(tenant);
        String cutoff = "2026-11-01T00:00:00Z";
        String first = run(tenant, "{\"model\": \"markov\", \"cutoff\": \"" + cutoff + "\"}");
        String second = run(tenant, "{\"model\": \"markov\", \"cutoff\": \"" + cutoff + "\"}");
        given().auth().oauth2(TestTokens.user(tenant, "analyst")).when().get("/api/attribution/runs/" + first).then().statusCode(200)
                .body("series", equalTo("markov")).body("version", equalTo(1))
                .body("explanation.removal_effects.keySet()", hasItem("social"))
                .body("explanation.transition_matrix.'(start)'.keySet()", hasItem("paid_search"));
        given().auth().oauth2(TestTokens.user(tenant, "analyst")).when().get("/api/attribution/runs/" + second).then().body("version", equalTo(2));
        List<Object> a = credits(tenant, first, "channel,source,campaign").extract().jsonPath().getList("rows");
        List<Object> b = credits(tenant, second, "channel,source,campaign").extract().jsonPath().getList("rows");
        assertEquals(a, b);
        given().auth().oauth2(TestTokens.user(tenant, "analyst")).queryParam("runs", first + "," + second).when()
                .get("/api/attribution/runs/compare").then().statusCode(200)
                .body("runs.id", org.hamcrest.Matchers.contains(first, second))
                .body("rows.revenue_change.flatten()", everyItem(equalTo(0.0f)));
    }

    @Test
    void aModelTheDataCannotSupportFailsTheRunWithAReason() {
        String tenant = "runs-no-conversion";
        RunFixtures.putDeal(tenant, "open-1", "open", "2026-10-04T12:00:00Z", "\"visitor_id\": \"nobody\"", "[]", "[]").statusCode(200);
        String id = run(tenant, "{\"model\": \"markov\"}");
        given().auth().oauth2(TestTokens.user(tenant, "analyst")).when().get("/api/attribution/runs/" + id).then()
                .body("status", equalTo("failed")).body("error", not(nullValue()));
        credits(tenant, id, "channel").statusCode(409);
    }

    @Test
    void badRunRequestsAreA400NamingTheField() {
        String tenant = "runs-bad";
        for (String[] c : new String[][] {{"{\"model\": \"magic\"}", "model"}, {"{\"model\": \"position_based\", \"params\": {\"first\": 0.9, "
                + "\"middle\": 0.2, \"last\": 0.4}}", "params"}, {"{\"model\": \"linear\", \"lookback_days\": 0}", "lookback_days"},
                {"{\"model\": \"linear\", \"conversion_event\": \"click\"}", "conversion_event"}, {"{\"model\": \"linear\", \"cutoff\": \"soon\"}",
                "cutoff"}, {"{\"model\": \"markov\", \"params\": {\"order\": 7}}", "params.order"}}) {
            given().auth().oauth2(TestTokens.user(tenant, "analyst")).contentType(ContentType.JSON).body(c[0]).when().post("/api/attribution/runs")
                    .then().statusCode(400).body("errors[0].field", equalTo(c[1]));
        }
        given().auth().oauth2(TestTokens.user(tenant, "analyst")).queryParam("group_by", "colour").when()
                .get("/api/attribution/runs/0190a8c2-0000-7000-8000-000000000000/credits").then().statusCode(404);
    }
}
