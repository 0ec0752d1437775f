package io.throughline.attribution.runs;

import static io.restassured.RestAssured.given;
import static io.throughline.attribution.runs.RunFixtures.credits;
import static io.throughline.testkit.GrpcTestCalls.asService;
import static io.throughline.testkit.GrpcTestCalls.await;
import static io.throughline.testkit.GrpcTestCalls.statusOf;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.throughline.attribution.processing.RunScheduler;
import io.throughline.attribution.store.Runs;
import io.throughline.contracts.attribution.v1.CreditRow;
import io.throughline.contracts.attribution.v1.FunnelRow;
import io.throughline.contracts.attribution.v1.GroupKey;
import io.throughline.contracts.attribution.v1.MutinyAttributionServiceGrpc.MutinyAttributionServiceStub;
import io.throughline.contracts.attribution.v1.QueryCreditsRequest;
import io.throughline.contracts.attribution.v1.QueryFunnelRequest;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scheduled job's versions, the gRPC queries reporting-service uses, and workspaces kept apart. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_attribution_test"))
class IncrementalRunsTest {

    @Inject
    RunScheduler scheduler;

    @GrpcClient("self")
    MutinyAttributionServiceStub attribution;

    private static void settings(String tenant, String models, String defaultModel) {
        given().auth().oauth2(TestTokens.user(tenant, "admin")).contentType(ContentType.JSON)
                .body("{\"conversion_event\": \"payment\", \"lookback_days\": 90, \"models\": " + models + ", \"default_model\": \"" + defaultModel + "\"}")
                .when().put("/api/attribution/settings").then().statusCode(200);
    }

    @Test
    void newPaymentsAreAttributedIncrementallyAndMatchAFullRun() {
        String tenant = "runs-incremental";
        RunFixtures.workspace(tenant);
        settings(tenant, "[{\"model\": \"linear\"}, {\"model\": \"markov\"}]", "linear");
        List<Runs.Run> first = scheduler.refresh(tenant);
        assertEquals(List.of(1, 1), first.stream().map(Runs.Run::version).toList());
        assertTrue(first.stream().allMatch(r -> r.status().equals("done")), first::toString);
        assertEquals(List.of(), scheduler.refresh(tenant), "nothing changed: no new version");

        // A new payment on deal 1 (a newer snapshot of it) arrives.
        RunFixtures.putDeal(tenant, "d1", "won", "2026-10-15T12:00:00Z", "\"visitor_id\": \"v1\", \"phones\": [\"8 (916) 210-45-87\"]", "[]",
                "[{\"id\": \"p3\", \"amount\": 2000, \"paid_at\": \"2026-10-15T12:00:00Z\"}]").statusCode(200);
        List<Runs.Run> second = scheduler.refresh(tenant);
        Runs.Run linear = second.stream().filter(r -> r.series().equals("linear")).findFirst().orElseThrow();
        assertEquals(2, linear.version());
        assertEquals(first.get(0).id(), linear.baseRunId());
        assertEquals(1, linear.dealsRecomputed(), "only person 1's deal is recomputed");
        assertEquals(2, linear.dealsCopied());
        Runs.Run markov = second.stream().filter(r -> r.series().equals("markov")).findFirst().orElseThrow();
        assertEquals(null, markov.baseRunId(), "data-driven models are refitted on everything");

        String full = RunFixtures.run(tenant, "{\"model\": \"linear\", \"cutoff\": \"" + linear.cutoff() + "\"}");
        List<Object> incremental = credits(tenant, linear.id().toString(), "channel,source,campaign,keyword,has_click_id").statusCode(200)
                .extract().jsonPath().getList("rows");
        List<Object> recomputed = credits(tenant, full, "channel,source,campaign,keyword,has_click_id").extract().jsonPath().getList("rows");
        assertEquals(recomputed, incremental);
        credits(tenant, full, "has_click_id").body("rows.revenue.sum()", equalTo(19000.0));
    }

    @Inject
    Runs runs;

    @Test
    void versionsOfOneSeriesAreMadeOneAtATime() {
        String tenant = "runs-busy";
        var spec = new io.throughline.attribution.domain.models.ModelSpec("linear", null, null, null, null, null, null, null, null);
        Runs.Run running = runs.create(tenant, spec, io.throughline.attribution.domain.journeys.JourneySettings.DEFAULTS, java.time.Instant.now(),
                "manual", null);
        org.junit.jupiter.api.Assertions.assertThrows(Runs.SeriesBusy.class, () -> runs.create(tenant, spec,
                io.throughline.attribution.domain.journeys.JourneySettings.DEFAULTS, java.time.Instant.now(), "manual", null));
        given().auth().oauth2(TestTokens.user(tenant, "analyst")).contentType(ContentType.JSON).body("{\"model\": \"linear\"}").when()
                .post("/api/attribution/runs").then().statusCode(409);
        runs.fail(running.id(), "test");
        String id = RunFixtures.run(tenant, "{\"model\": \"linear\"}");
        given().auth().oauth2(TestTokens.user(tenant, "analyst")).when().get("/api/attribution/runs/" + id).then().body("version", equalTo(2));
    }

    @Test
    void reportingQueriesTheDefaultRunAndTheFunnel() {
        String tenant = "runs-grpc";
        RunFixtures.workspace(tenant);
        settings(tenant, "[{\"model\": \"first_touch\"}]", "first_touch");
        MutinyAttributionServiceStub stub = asService(attribution, "reporting-service");
        assertEquals(Status.Code.FAILED_PRECONDITION, statusOf(() -> stub.queryCredits(QueryCreditsRequest.newBuilder().setTenantId(tenant).build())));
        scheduler.refresh(tenant);
        var credits = await(stub.queryCredits(QueryCreditsRequest.newBuilder().setTenantId(tenant).addGroupBy(GroupKey.GROUP_KEY_CHANNEL)
                .addGroupBy(GroupKey.GROUP_KEY_CAMPAIGN).build()));
        assertEquals("first_touch", credits.getModel());
        CreditRow paid = credits.getRowsList().stream().filter(r -> r.getKeysMap().get("channel").equals("paid_search")).findFirst().orElseThrow();
        assertEquals("sofa-sale", paid.getKeysMap().get("campaign"));
        assertEquals(1.0, paid.getConversions(), 1e-9);
        assertEquals(1_400_000, paid.getRevenue().getAmountMinor());
        assertEquals(840_000, paid.getGrossProfit().getAmountMinor());
        assertEquals("RUB", paid.getRevenue().getCurrency());

        var funnel = await(stub.queryFunnel(QueryFunnelRequest.newBuilder().setTenantId(tenant).addGroupBy(GroupKey.GROUP_KEY_CHANNEL).build()));
        // Deal 1 (lead created by the e-mail session): lead, qualified, paid and everything between; deal 2 (social): lead, then lost.
        List<String> email = funnel.getRowsList().stream().filter(r -> r.getKeysMap().get("channel").equals("email")).map(FunnelRow::getStage).toList();
        assertEquals(List.of("invoice", "lead", "paid", "proposal", "qualified", "won"), email.stream().sorted().toList());
        FunnelRow lost = funnel.getRowsList().stream().filter(r -> r.getStage().equals("lost")).findFirst().orElseThrow();
        assertEquals("social", lost.getKeysMap().get("channel"));
        assertEquals("too expensive", lost.getLossReason());
        assertEquals(1, lost.getDeals());
    }

    @Test
    void workspacesNeverSeeEachOthersRunsOrTouches() {
        RunFixtures.workspace("runs-tenant-a");
        // Workspace b has the same visitor id with a referral session and a paid deal of its own.
        io.throughline.attribution.FakeIdentityService.person("runs-tenant-b", "b-p1", List.of("v1"));
        io.throughline.attribution.FakeTouchpoints.session("runs-tenant-b", "b-s1", "v1", "2026-10-03T09:00:00Z", "referral", "partner", "", false,
                false);
        RunFixtures.putDeal("runs-tenant-b", "d1", "won", "2026-10-09T12:00:00Z", "\"visitor_id\": \"v1\"", "[]",
                "[{\"id\": \"p1\", \"amount\": 500, \"paid_at\": \"2026-10-09T12:00:00Z\"}]").statusCode(200);
        String a = RunFixtures.run("runs-tenant-a", "{\"model\": \"linear\"}");
        String b = RunFixtures.run("runs-tenant-b", "{\"model\": \"linear\"}");
        credits("runs-tenant-a", a, "channel").statusCode(200).body("rows.keys.channel", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(
                "referral")));
        credits("runs-tenant-b", b, "channel").statusCode(200).body("rows.keys.channel", equalTo(List.of("referral")))
                .body("rows[0].revenue", equalTo(500.0f));
        credits("runs-tenant-b", a, "channel").statusCode(404);
        given().auth().oauth2(TestTokens.user("runs-tenant-b", "analyst")).when().get("/api/attribution/runs/" + a).then().statusCode(404);
        MutinyAttributionServiceStub stub = asService(attribution, "reporting-service");
        assertEquals(Status.Code.NOT_FOUND, statusOf(() -> stub.queryCredits(QueryCreditsRequest.newBuilder().setTenantId("runs-tenant-b")
                .setRunId(a).build())));
    }
}
