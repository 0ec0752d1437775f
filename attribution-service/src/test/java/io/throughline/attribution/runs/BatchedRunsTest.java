package io.throughline.attribution.runs;

import static io.restassured.RestAssured.given;
import static io.throughline.attribution.runs.RunFixtures.credits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.throughline.attribution.FakeIdentityService;
import io.throughline.attribution.FakeTouchpoints;
import io.throughline.attribution.processing.RunExecutor;
import io.throughline.testkit.TestTokens;
import io.throughline.testkit.PostgresTestDatabase;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A run that looks people up in batches (hundreds of contacts per BatchResolve, touches of hundreds of persons per
 * call) gives exactly the credits of the person-by-person path over the same data, for a rule-based and a
 * data-driven model: persons sharing a phone, calls found by phone only, bots, and deals without a known person.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_attribution_test"))
class BatchedRunsTest {

    @Inject
    RunExecutor executor;
    @Inject
    io.throughline.attribution.client.TouchpointCalls touchpoints;

    /** 40 persons with a session and a call each (found by phone), bots, lost deals and strangers. */
    private static void load(String tenant) {
        RunFixtures.workspace(tenant);
        String[] channels = {"paid_search", "social", "email", "referral", "organic_search"};
        for (int i = 0; i < 40; i++) {
            String person = tenant + "-bp" + i;
            String phone = String.format(java.util.Locale.ROOT, "+7916%07d", 3_000_000 + i);
            FakeIdentityService.person(tenant, person, List.of("bv" + i), phone);
            FakeTouchpoints.session(tenant, tenant + "-bs" + i, "bv" + i, "2026-10-0" + (1 + i % 5) + "T09:00:00Z", channels[i % 5], "src" + i % 3,
                    "c" + i % 4, i % 2 == 0, i % 7 == 0);
            FakeTouchpoints.call(tenant, tenant + "-bc" + i, null, phone, "2026-10-0" + (2 + i % 5) + "T10:00:00Z", channels[(i + 2) % 5], "phone", false);
            String contact = i % 9 == 0 ? "\"emails\": [\"stranger" + i + "@example.com\"]" : "\"visitor_id\": \"bv" + i + "\", \"phones\": [\"" + phone + "\"]";
            RunFixtures.putDeal(tenant, "bd" + i, i % 4 == 3 ? "lost" : "won", "2026-10-1" + (i % 9) + "T12:00:00Z", contact, "[]",
                    i % 4 == 3 ? "[]" : "[{\"id\": \"bp" + i + "\", \"amount\": " + (1000 + 137 * i) + ", \"paid_at\": \"2026-10-1" + (i % 9) + "T12:00:00Z\"}]")
                    .statusCode(200);
        }
    }

    @Test
    void batchedLookupsGiveTheCreditsOfThePersonByPersonPath() {
        String tenant = "runs-batched";
        load(tenant);
        for (String model : List.of("linear", "markov")) {
            String batched = RunFixtures.run(tenant, "{\"model\": \"" + model + "\", \"cutoff\": \"2026-11-01T00:00:00Z\"}");
            String oneByOne;
            executor.lookupBatches(1, 1);
            try {
                oneByOne = RunFixtures.run(tenant, "{\"model\": \"" + model + "\", \"cutoff\": \"2026-11-01T00:00:00Z\"}");
            } finally {
                executor.lookupBatches(500, 200);
            }
            String groups = "channel,source,campaign,keyword,has_click_id";
            List<Object> a = credits(tenant, batched, groups).statusCode(200).extract().jsonPath().getList("rows");
            List<Object> b = credits(tenant, oneByOne, groups).statusCode(200).extract().jsonPath().getList("rows");
            assertTrue(a.size() > 10, a::toString);
            assertEquals(b, a, model + ": the batched run equals the person-by-person one");
            List<Map<String, Object>> compared = given().auth().oauth2(TestTokens.user(tenant, "analyst")).queryParam("runs", batched + "," + oneByOne)
                    .queryParam("group_by", "channel,campaign").when().get("/api/attribution/runs/compare").then().statusCode(200).extract()
                    .jsonPath().getList("rows");
            for (Map<String, Object> row : compared) {
                @SuppressWarnings("unchecked")
                List<Object> change = (List<Object>) row.get("revenue_change");
                assertEquals(0, new BigDecimal(change.get(0).toString()).signum(), row::toString);
            }
        }
    }

    @Test
    void brokenTouchStreamsAreResumedFromTheirLastPageNotStartedAgain() {
        String tenant = "runs-broken-streams";
        load(tenant);
        String body = "{\"model\": \"linear\", \"cutoff\": \"2026-11-01T00:00:00Z\"}";
        String groups = "channel,source,campaign,keyword,has_click_id";
        executor.lookupBatches(8, 8);
        try {
            String whole = RunFixtures.run(tenant, body);
            long resumedBefore = touchpoints.resumedStreams();
            FakeTouchpoints.breakStreams(6, 2);
            String broken = RunFixtures.run(tenant, body);
            assertEquals(0, FakeTouchpoints.breaksLeft(), "the streams broke");
            assertEquals(6, touchpoints.resumedStreams() - resumedBefore, "each broken stream was opened again once, from its token");
            assertEquals("done", status(tenant, broken));
            assertEquals(credits(tenant, whole, groups).statusCode(200).extract().jsonPath().getList("rows"),
                    credits(tenant, broken, groups).statusCode(200).extract().jsonPath().getList("rows"), "no touch lost, none counted twice");

            FakeTouchpoints.breakStreams(100, 0);
            String failing = RunFixtures.run(tenant, body);
            assertEquals("failed", status(tenant, failing), "a stream that keeps breaking without a page fails the run after "
                    + "a few attempts, it is not retried for ever");
        } finally {
            FakeTouchpoints.breakStreams(0, 0);
            executor.lookupBatches(500, 200);
        }
    }

    private static String status(String tenant, String run) {
        return given().auth().oauth2(TestTokens.user(tenant, "analyst")).when().get("/api/attribution/runs/" + run).then().statusCode(200).extract()
                .path("status");
    }
}
