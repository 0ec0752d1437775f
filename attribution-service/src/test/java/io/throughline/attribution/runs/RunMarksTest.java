package io.throughline.attribution.runs;

import static io.throughline.attribution.runs.RunFixtures.credits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.throughline.attribution.FakeIdentityService;
import io.throughline.attribution.FakeTouchpoints;
import io.throughline.attribution.processing.RunMarksFeed;
import io.throughline.attribution.processing.RunScheduler;
import io.throughline.attribution.store.RunMarks;
import io.throughline.attribution.store.Runs;
import io.throughline.commons.sql.Sql;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Incremental versions pick up what changed a person's journey without changing their deals: a session stored late
 * (tracking's session feed, the visitor resolved in identity), a call matched late (calltracking's call feed) and a
 * merge (identity's person feed). Each such version equals a full run at the same cut-off.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_attribution_test"))
class RunMarksTest {

    @Inject
    RunScheduler scheduler;

    @Inject
    RunMarksFeed feed;

    @Inject
    RunMarks marks;

    @Inject
    javax.sql.DataSource db;

    @Test
    void lateTouchesAndMergesAfterTheBaseReachTheNextIncrementalVersion() {
        String tenant = "runs-marks";
        RunFixtures.workspace(tenant);
        io.restassured.RestAssured.given().auth().oauth2(TestTokens.user(tenant, "admin")).contentType(ContentType.JSON)
                .body("{\"conversion_event\": \"payment\", \"lookback_days\": 90, \"models\": [{\"model\": \"linear\"}], \"default_model\": \"linear\"}")
                .when().put("/api/attribution/settings").then().statusCode(200);
        feed.round();
        Runs.Run first = only(scheduler.refresh(tenant));
        feed.round();
        assertEquals(List.of(), scheduler.refresh(tenant), "nothing changed, nothing marked: no new version");

        // A session of person 1's visitor from before the first payment, stored only now (a slow spool).
        FakeTouchpoints.lateSession(tenant, tenant + "-late-session", "v1", "2026-10-03T09:00:00Z", "paid_social", "vk", "autumn");
        feed.round();
        assertEquals(Set.of(tenant + "-p1"), marks.since(tenant, first.createdAt()));
        Runs.Run second = only(scheduler.refresh(tenant));
        assertEquals(first.id(), second.baseRunId(), "an incremental version");
        assertEquals(1, second.dealsRecomputed(), "person 1's deal only");
        assertEquals(2, second.dealsCopied());
        assertTrue(channels(tenant, second).containsKey("paid_social"), "the late session is credited");
        assertSameAsFullRun(tenant, second);

        // A call from person 1's phone matched to them only now.
        FakeTouchpoints.lateCall(tenant, tenant + "-late-call", "+79162104587", "2026-10-04T10:00:00Z", "referral", "partner", tenant + "-p1");
        feed.round();
        Runs.Run third = only(scheduler.refresh(tenant));
        assertEquals(1, third.dealsRecomputed());
        assertTrue(channels(tenant, third).containsKey("referral"), "the late call is credited");
        assertSameAsFullRun(tenant, third);

        // identity-service merges person 2 into person 1: both persons' deals are recomputed as one journey.
        FakeIdentityService.person(tenant, tenant + "-p1", List.of("v1", "v2"), "+79162104587");
        FakeIdentityService.merge(tenant, tenant + "-p1", tenant + "-p2");
        feed.round();
        Runs.Run fourth = only(scheduler.refresh(tenant));
        assertEquals(2, fourth.dealsRecomputed(), "deal 1 and deal 2 of the merged person");
        assertSameAsFullRun(tenant, fourth);

        assertEquals(Set.of(), marks.since("runs-marks-other", first.createdAt()), "marks stay in their workspace");

        UUID[] made = java.util.stream.Stream.of(first, second, third, fourth).map(Runs.Run::id).toArray(UUID[]::new);
        for (String scratch : List.of("run_people", "run_affected", "run_candidates")) {
            assertEquals(0, Sql.statements(db, c -> Sql.query(c, "SELECT count(*) FROM " + scratch + " WHERE run_id = ANY(?)", rs -> rs.getInt(1),
                    (Object) made)).get(0), scratch + ": who a run took is dropped when it is done");
        }
    }

    private static Runs.Run only(List<Runs.Run> made) {
        assertEquals(1, made.size(), made::toString);
        assertEquals("done", made.get(0).status(), made::toString);
        return made.get(0);
    }

    private static Map<String, Object> channels(String tenant, Runs.Run run) {
        Map<String, Object> out = new java.util.HashMap<>();
        List<Map<String, Object>> rows = credits(tenant, run.id().toString(), "channel").statusCode(200).extract().jsonPath().getList("rows");
        for (Map<String, Object> row : rows) {
            @SuppressWarnings("unchecked")
            Map<String, Object> keys = (Map<String, Object>) row.get("keys");
            out.put((String) keys.get("channel"), row.get("revenue"));
        }
        return out;
    }

    private static void assertSameAsFullRun(String tenant, Runs.Run incremental) {
        String full = RunFixtures.run(tenant, "{\"model\": \"linear\", \"cutoff\": \"" + incremental.cutoff() + "\"}");
        String groups = "channel,source,campaign,keyword,has_click_id";
        List<Object> expected = credits(tenant, full, groups).statusCode(200).extract().jsonPath().getList("rows");
        List<Object> actual = credits(tenant, incremental.id().toString(), groups).statusCode(200).extract().jsonPath().getList("rows");
        assertEquals(expected, actual, "the incremental version equals a full run at its cut-off");
    }
}
