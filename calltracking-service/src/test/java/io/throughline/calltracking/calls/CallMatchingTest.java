package io.throughline.calltracking.calls;

import static io.restassured.RestAssured.given;
import static io.throughline.testkit.GrpcTestCalls.asService;
import static io.throughline.testkit.GrpcTestCalls.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.throughline.calltracking.CallTrackingFixtures;
import io.throughline.calltracking.FakeIdentityService;
import io.throughline.calltracking.FakeTrackingService;
import io.throughline.commons.sql.Sql;
import io.throughline.contracts.calltracking.v1.CallTouchpoint;
import io.throughline.contracts.calltracking.v1.ListCallTouchpointsRequest;
import io.throughline.contracts.calltracking.v1.MutinyCallTrackingServiceGrpc.MutinyCallTrackingServiceStub;
import io.throughline.contracts.common.v1.Campaign;
import io.throughline.contracts.common.v1.Touchpoint;
import io.throughline.contracts.identity.v1.IdentifierType;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Calls from webhooks matched to the sessions that were shown the number, enriched, judged and linked. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_calltracking_test"))
class CallMatchingTest {

    @GrpcClient("self")
    MutinyCallTrackingServiceStub grpc;

    @Inject
    DataSource db;

    private static String shown(String site, String visitor) {
        return given().contentType("text/plain").header("Origin", "https://shop.test")
                .body("{\"site\": \"" + site + "\", \"visitor_id\": \"" + visitor + "\", \"page\": \"https://shop.test/sofas?utm_source=yandex\","
                        + " \"campaign\": {\"source\": \"yandex\", \"medium\": \"cpc\", \"campaign\": \"sofas\"}, \"click_ids\": {\"yclid\": \"88001\"}}")
                .when().post("/dni").then().statusCode(200).extract().path("number_e164");
    }

    /** The call once the processor is done with it (polls the call log by caller). */
    static JsonPath processed(String tenant, String caller) {
        Instant deadline = Instant.now().plusSeconds(20);
        while (true) {
            JsonPath page = given().auth().oauth2(TestTokens.user(tenant, "analyst")).queryParam("caller", caller).when().get("/api/calltracking/calls")
                    .then().statusCode(200).extract().jsonPath();
            List<Boolean> done = page.getList("items.processed");
            if (!done.isEmpty() && done.stream().allMatch(Boolean::booleanValue)) {
                return page;
            }
            assertTrue(Instant.now().isBefore(deadline), "calls from " + caller + " were not processed: " + page.prettify());
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static Touchpoint session(String id, String visitor, Instant startedAt) {
        return Touchpoint.newBuilder().setTouchpointId(id).setKind(Touchpoint.Kind.KIND_SESSION).setVisitorId(visitor)
                .setStartedAt(Timestamp.newBuilder().setSeconds(startedAt.getEpochSecond())).setChannel("paid_search")
                .setCampaign(Campaign.newBuilder().setSource("yandex").setMedium("cpc").setCampaign("sofas").setTerm("buy sofa"))
                .putClickIds("yclid", "88001").setLandingPage("https://shop.test/sofas?utm_source=yandex").build();
    }

    @Test
    void aCallIsMatchedToTheSessionShownTheNumberEnrichedAndLinked() {
        String site = FakeTrackingService.site("acme", "match");
        CallTrackingFixtures.pool("acme", site, "", CallTrackingFixtures.numbers(20, 2));
        String visitor = "visitor-match-1";
        FakeTrackingService.SESSIONS.put("acme/" + visitor, List.of(session("session-match-0", visitor, Instant.now().minusSeconds(7200)),
                session("session-match-1", visitor, Instant.now().minusSeconds(60))));
        String number = shown(site, visitor);
        String[] pbx = Webhooks.integration("acme", "PBX match", "generic", null);
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Webhooks.generic(pbx, Webhooks.call("m-1", "call.completed", "+79162105001", number, start,
                "\"status\": \"answered\", \"duration_sec\": 75, \"talk_sec\": 64")).statusCode(200);

        JsonPath call = processed("acme", "+79162105001");
        assertEquals("reservation", call.getString("items[0].match_kind"));
        assertEquals(1.0f, call.getFloat("items[0].match_confidence"));
        assertEquals(visitor, call.getString("items[0].visitor_id"));
        assertEquals("session-match-1", call.getString("items[0].session_id"));
        assertEquals("paid_search", call.getString("items[0].channel"));
        assertEquals("buy sofa", call.getString("items[0].campaign.term"));
        assertEquals("88001", call.getString("items[0].click_ids.yclid"));
        assertTrue(call.getBoolean("items[0].target"), "answered, 64 s of talk: a target call");
        assertTrue(call.getBoolean("items[0].first_time"));
        assertTrue(FakeIdentityService.LINKS.stream().anyMatch(l -> l.getTenantId().equals("acme") && l.getSource().equals("calltracking")
                && l.getIdentifiersList().stream().anyMatch(i -> i.getValue().equals(visitor))
                && l.getIdentifiersList().stream().anyMatch(i -> i.getValue().equals("+79162105001"))), FakeIdentityService.LINKS.toString());

        List<CallTouchpoint> touchpoints = await(asService(grpc, "attribution-service").listCallTouchpoints(ListCallTouchpointsRequest.newBuilder()
                .setTenantId("acme").addVisitorIds(visitor).build())).getCallsList();
        assertEquals(1, touchpoints.size());
        assertEquals(Touchpoint.Kind.KIND_CALL, touchpoints.get(0).getTouchpoint().getKind());
        assertEquals("paid_search", touchpoints.get(0).getTouchpoint().getChannel());
        assertEquals("88001", touchpoints.get(0).getTouchpoint().getClickIdsMap().get("yclid"));
        assertTrue(touchpoints.get(0).getTarget());
        // Another workspace asking for the same visitor gets nothing.
        assertEquals(0, await(asService(grpc, "attribution-service").listCallTouchpoints(ListCallTouchpointsRequest.newBuilder()
                .setTenantId("globex").addVisitorIds(visitor).build())).getCallsCount());
        given().auth().oauth2(TestTokens.user("globex", "analyst")).queryParam("caller", "+79162105001").when().get("/api/calltracking/calls")
                .then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void aLateWebhookIsMatchedToWhoHeldTheNumberThenNotToItsCurrentHolder() {
        String site = FakeTrackingService.site("acme", "history");
        CallTrackingFixtures.pool("acme", site, "", CallTrackingFixtures.numbers(21, 1));
        String number = shown(site, "visitor-earlier");
        // The earlier visitor's visit is moved 15 minutes back (held until 9 minutes ago); then another visitor gets the number.
        Sql.transaction(db, c -> {
            Sql.update(c, "UPDATE reservations SET assigned_at = now() - interval '15 minutes', last_seen_at = now() - interval '12 minutes' "
                    + "WHERE visitor_id = 'visitor-earlier'");
            return Sql.update(c, "DELETE FROM number_leases WHERE number_id = (SELECT id FROM numbers WHERE e164 = ?)", number);
        });
        assertEquals(number, shown(site, "visitor-current"));
        String[] pbx = Webhooks.integration("acme", "PBX history", "generic", null);
        Instant start = Instant.now().minus(Duration.ofMinutes(11)).truncatedTo(ChronoUnit.SECONDS);
        // Delivered 11 minutes late (the generic format signs the delivery time, not the call time).
        Webhooks.generic(pbx, Webhooks.call("h-1", "call.completed", "+79162105002", number, start, "\"status\": \"answered\", \"talk_sec\": 40"))
                .statusCode(200);
        JsonPath call = processed("acme", "+79162105002");
        assertEquals("visitor-earlier", call.getString("items[0].visitor_id"));
        assertEquals("yandex", call.getString("items[0].campaign.source"), "the reservation's campaign when tracking has no session");
    }

    @Test
    void aSharedNumberGivesTheMostRecentlyActiveHolderWithAlternatesAndALowerConfidenceAndLinksThePhoneAlone() {
        String site = FakeTrackingService.site("acme", "shared");
        CallTrackingFixtures.pool("acme", site, "\"overflow_policy\": \"reuse_least_recent\"", CallTrackingFixtures.numbers(23, 1));
        String number = shown(site, "visitor-own");
        assertEquals(number, shown(site, "visitor-sharing"));
        String[] pbx = Webhooks.integration("acme", "PBX shared", "generic", null);
        Webhooks.generic(pbx, Webhooks.call("s-1", "call.completed", "+79162105030", number, Instant.now().plusSeconds(1),
                "\"status\": \"answered\", \"talk_sec\": 40"));
        JsonPath call = processed("acme", "+79162105030");
        // Both hold the number at the call; the sharer was active last: it wins, with 0.75 / (0.75 + 1) confidence.
        assertEquals("visitor-sharing", call.getString("items[0].visitor_id"));
        assertEquals(0.429f, call.getFloat("items[0].match_confidence"), 0.001f);
        assertEquals("visitor-own", call.getString("items[0].alternates[0].visitor_id"));
        assertTrue(FakeIdentityService.LINKS.stream().filter(l -> l.getIdentifiersList().stream().anyMatch(i -> i.getValue().equals("+79162105030")))
                .noneMatch(l -> l.getIdentifiersList().stream().anyMatch(i -> i.getType() == IdentifierType.IDENTIFIER_TYPE_VISITOR_ID)),
                "an uncertain match links no phone to a visitor");
        assertTrue(FakeIdentityService.LINKS.stream().anyMatch(l -> l.getIdentifiersCount() == 1 && l.getIdentifiers(0).getValue().equals("+79162105030")),
                "the caller's phone alone is still linked (a person, for lead counts)");
    }

    @Test
    void staticAndUntrackedNumbersFallBackToTheirSourceOrUnidentified() {
        String site = FakeTrackingService.site("acme", "fallback");
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON)
                .body("{\"site_key\": \"" + site + "\", \"number\": \"+7 495 221-70-01\", \"channel\": \"print\", \"match_source\": \"magazine\"}")
                .when().post("/api/calltracking/numbers").then().statusCode(201);
        String[] pbx = Webhooks.integration("acme", "PBX fallback", "generic", null);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Webhooks.generic(pbx, Webhooks.call("f-1", "call.completed", "+79162105003", "84952217001", now, "\"status\": \"answered\", \"talk_sec\": 40"));
        Webhooks.generic(pbx, Webhooks.call("f-2", "call.completed", "+79162105004", "+74952217999", now, "\"status\": \"answered\", \"talk_sec\": 40"));
        JsonPath fixed = processed("acme", "+79162105003");
        assertEquals("static", fixed.getString("items[0].match_kind"));
        assertEquals("print", fixed.getString("items[0].channel"));
        assertEquals("magazine", fixed.getString("items[0].campaign.source"));
        assertEquals("unidentified", processed("acme", "+79162105004").getString("items[0].match_kind"));
        // Another workspace's PBX reporting a call to this workspace's number does not get it matched.
        String[] globex = Webhooks.integration("globex", "PBX globex", "generic", null);
        Webhooks.generic(globex, Webhooks.call("f-3", "call.completed", "+79162105005", "+74952217001", now, "\"status\": \"answered\""));
        assertEquals("unidentified", processed("globex", "+79162105005").getString("items[0].match_kind"));
    }

    @Test
    void qualityRulesFlagRepeatsMissesCallbacksAndSpam() {
        String site = FakeTrackingService.site("acme", "quality");
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON)
                .body("{\"site_key\": \"" + site + "\", \"number\": \"+7 495 221-80-01\"}").when().post("/api/calltracking/numbers").then().statusCode(201);
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON)
                .body("{\"target_min_talk_seconds\": 45, \"unique_window_days\": 30, \"abandoned_max_seconds\": 15, \"callback_window_minutes\": 60,"
                        + " \"max_calls_per_hour\": 5, \"zero_talk_burst\": 3, \"match_skew_seconds\": 90, \"blocklist\": [\"8 916 210-59-99\"]}")
                .when().put("/api/calltracking/sites/" + site + "/call-rules").then().statusCode(200).body("blocklist", contains("+79162105999"));
        String[] pbx = Webhooks.integration("acme", "PBX quality", "generic", null);
        Instant t = Instant.now().minusSeconds(3000).truncatedTo(ChronoUnit.SECONDS);
        String to = "+74952218001";
        Webhooks.generic(pbx, Webhooks.call("q-1", "call.completed", "+79162105010", to, t, "\"status\": \"answered\", \"talk_sec\": 30"));
        Webhooks.generic(pbx, Webhooks.call("q-2", "call.completed", "+79162105010", to, t.plusSeconds(600), "\"status\": \"answered\", \"talk_sec\": 50"));
        Webhooks.generic(pbx, Webhooks.call("q-3", "call.completed", "+79162105011", to, t, "\"status\": \"no_answer\", \"duration_sec\": 9"));
        Webhooks.generic(pbx, "{\"call_id\": \"q-4\", \"event\": \"call.completed\", \"direction\": \"outbound\", \"from\": \"101\", \"to\": "
                + "\"+79162105011\", \"started_at\": \"" + t.plusSeconds(900) + "\", \"status\": \"answered\", \"talk_sec\": 120}");
        Webhooks.generic(pbx, Webhooks.call("q-5", "call.completed", "anonymous", to, t, "\"status\": \"answered\", \"talk_sec\": 200"));
        Webhooks.generic(pbx, Webhooks.call("q-6", "call.completed", "+79162105999", to, t, "\"status\": \"answered\", \"talk_sec\": 200"));

        JsonPath repeat = processed("acme", "+79162105010");
        // Newest first: the second call is a repeat and a target (50 s >= 45 s); the first is unique but too short.
        assertEquals(List.of(false, true), repeat.getList("items.first_time"));
        assertEquals(List.of(true, false), repeat.getList("items.target"));
        processed("acme", "+79162105011");
        Instant deadline = Instant.now().plusSeconds(10);
        while (!given().auth().oauth2(TestTokens.user("acme", "analyst")).queryParam("caller", "+79162105011").queryParam("direction", "inbound")
                .when().get("/api/calltracking/calls").then().extract().jsonPath().getBoolean("items[0].called_back") && Instant.now().isBefore(deadline)) {
            Thread.onSpinWait();
        }
        JsonPath missed = given().auth().oauth2(TestTokens.user("acme", "analyst")).queryParam("caller", "+79162105011").queryParam("direction", "inbound")
                .when().get("/api/calltracking/calls").then().extract().jsonPath();
        assertTrue(missed.getBoolean("items[0].missed"));
        assertTrue(missed.getBoolean("items[0].abandoned"), "unanswered after 9 s (< 15 s)");
        assertTrue(missed.getBoolean("items[0].called_back"), "an answered outbound call to the caller followed within the hour");
        given().auth().oauth2(TestTokens.user("acme", "analyst")).queryParam("site_key", site).queryParam("excluded", true).when()
                .get("/api/calltracking/calls").then().statusCode(200).body("items", hasSize(2))
                .body("items.exclusion_reasons.flatten()", org.hamcrest.Matchers.hasItems("withheld_number", "blocklisted"))
                .body("items.target", contains(false, false));
        String csv = given().auth().oauth2(TestTokens.user("acme", "analyst")).queryParam("site_key", site).queryParam("format", "csv").when()
                .get("/api/calltracking/calls").then().statusCode(200).contentType(org.hamcrest.Matchers.startsWith("text/csv")).extract().asString();
        assertTrue(csv.startsWith("started_at,direction,caller,"), csv);
        // The header and the site's five inbound calls (the outbound callback went to no tracked number, so it has no site).
        assertEquals(6, csv.strip().split("\n").length, csv);
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON).body("{\"target_min_talk_seconds\": -1}")
                .when().put("/api/calltracking/sites/" + site + "/call-rules").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItem("target_min_talk_seconds"));
    }

    @Test
    void erasureDeletesThePersonsCallsAndReservationsAndConfirms() {
        String site = FakeTrackingService.site("acme", "erasure");
        CallTrackingFixtures.pool("acme", site, "", CallTrackingFixtures.numbers(22, 1));
        String number = shown(site, "visitor-erased");
        String[] pbx = Webhooks.integration("acme", "PBX erasure", "generic", null);
        Webhooks.generic(pbx, Webhooks.call("e-1", "call.completed", "+79162105020", number, Instant.now().truncatedTo(ChronoUnit.SECONDS),
                "\"status\": \"answered\", \"talk_sec\": 40"));
        processed("acme", "+79162105020");
        FakeIdentityService.PENDING.add(io.throughline.contracts.identity.v1.PendingErasure.newBuilder().setErasureId("erasure-1").setTenantId("acme")
                .addIdentifiers(io.throughline.contracts.identity.v1.ResolvedIdentifier.newBuilder()
                        .setType(io.throughline.contracts.identity.v1.IdentifierType.IDENTIFIER_TYPE_VISITOR_ID).setValue("visitor-erased"))
                .addIdentifiers(io.throughline.contracts.identity.v1.ResolvedIdentifier.newBuilder()
                        .setType(io.throughline.contracts.identity.v1.IdentifierType.IDENTIFIER_TYPE_PHONE).setValue("+79162105020")).build());
        io.quarkus.arc.Arc.container().instance(io.throughline.calltracking.processing.ErasureFeed.class).get().processPending();
        assertEquals(1L, FakeIdentityService.CONFIRMED.get("erasure-1").get("calls"));
        assertEquals(1L, FakeIdentityService.CONFIRMED.get("erasure-1").get("reservations"));
        given().auth().oauth2(TestTokens.user("acme", "analyst")).queryParam("caller", "+79162105020").when().get("/api/calltracking/calls")
                .then().statusCode(200).body("items", hasSize(0));
        // The number is free again for the next visitor.
        assertEquals(number, shown(site, "visitor-next"));
    }
}
