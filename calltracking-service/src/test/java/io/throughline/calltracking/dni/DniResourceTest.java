package io.throughline.calltracking.dni;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.throughline.calltracking.CallTrackingFixtures;
import io.throughline.calltracking.FakeTrackingService;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_calltracking_test"))
class DniResourceTest {

    static ValidatableResponse dni(String site, String visitor, String campaignJson) {
        return given().contentType("text/plain").header("Origin", "https://shop.test")
                .body("{\"site\": \"" + site + "\", \"visitor_id\": \"" + visitor + "\", \"page\": \"https://shop.test/\""
                        + (campaignJson == null ? "" : ", \"campaign\": " + campaignJson) + "}")
                .when().post("/dni").then();
    }

    @Test
    void aVisitorKeepsItsNumberWithinTheHoldAndOthersGetOtherNumbers() {
        String site = FakeTrackingService.site("acme", "keep");
        List<String> pool = CallTrackingFixtures.numbers(1, 3);
        CallTrackingFixtures.pool("acme", site, "\"display_mask\": \"8 (XXX) XXX-XX-XX\", \"replace_numbers\": [\"8 (495) 215-38-41\"], "
                + "\"selectors\": [\".header-phone\"], \"default_number\": \"+7 495 215-38-41\"", pool);

        String first = dni(site, "visitor-aaaa-1", null).statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo("https://shop.test"))
                .body("kind", equalTo("pool")).body("overflow", equalTo(false))
                .body("replace", hasItem("+74952153841")).body("selectors", hasItem(".roistat-phone")).body("selectors", hasItem(".header-phone"))
                .body("heartbeat_seconds", equalTo(60))
                .extract().path("number_e164");
        assertTrue(pool.contains(first), first);
        String display = dni(site, "visitor-aaaa-1", null).extract().path("number_display");
        assertEquals("8 (" + first.substring(2, 5) + ") " + first.substring(5, 8) + "-" + first.substring(8, 10) + "-" + first.substring(10), display);
        Instant hold1 = Instant.parse(dni(site, "visitor-aaaa-1", null).body("number_e164", equalTo(first))
                .body("tel_href", equalTo("tel:" + first)).extract().path("hold_until"));
        assertTrue(hold1.isAfter(Instant.now().plusSeconds(170)), "a heartbeat extends the hold to 3 minutes from now: " + hold1);

        String second = dni(site, "visitor-bbbb-2", null).statusCode(200).extract().path("number_e164");
        String third = dni(site, "visitor-cccc-3", null).statusCode(200).extract().path("number_e164");
        assertEquals(3, java.util.Set.of(first, second, third).size());
        // Pool full (default_number policy): the default number, marked overflow.
        dni(site, "visitor-dddd-4", null).statusCode(200).body("kind", equalTo("default")).body("overflow", equalTo(true))
                .body("number_e164", equalTo("+74952153841")).body("hold_until", nullValue());
        // The first visitor still has theirs.
        dni(site, "visitor-aaaa-1", null).body("number_e164", equalTo(first));
    }

    @Test
    void reusePolicySharesTheLeastRecentNumberAndMarksItAmbiguous() {
        String site = FakeTrackingService.site("acme", "reuse");
        CallTrackingFixtures.pool("acme", site, "\"overflow_policy\": \"reuse_least_recent\"", CallTrackingFixtures.numbers(2, 2));
        String a = dni(site, "visitor-reuse-a", null).extract().path("number_e164");
        dni(site, "visitor-reuse-b", null).statusCode(200);
        dni(site, "visitor-reuse-c", null).statusCode(200).body("kind", equalTo("pool")).body("overflow", equalTo(true))
                .body("ambiguous", equalTo(true)).body("number_e164", equalTo(a)).body("hold_until", notNullValue());
        // Its heartbeat keeps the same shared number (one reservation, not one per heartbeat).
        dni(site, "visitor-reuse-c", null).body("number_e164", equalTo(a)).body("ambiguous", equalTo(true));
    }

    @Test
    void aStaticNumberWinsOverThePoolWhenTheSourceMatches() {
        String site = FakeTrackingService.site("acme", "static");
        CallTrackingFixtures.pool("acme", site, "", CallTrackingFixtures.numbers(3, 2));
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON)
                .body("{\"site_key\": \"" + site + "\", \"number\": \"8 (495) 203-31-77\", \"label\": \"Billboard\", \"match_source\": \"Billboard\"}")
                .when().post("/api/calltracking/numbers").then().statusCode(201).body("kind", equalTo("static"))
                .body("e164", equalTo("+74952033177")).body("channel", equalTo("offline")).body("match_source", equalTo("billboard"));
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON)
                .body("{\"site_key\": \"" + site + "\", \"number\": \"8 (495) 203-31-78\", \"match_source\": \"billboard\", \"match_campaign\": \"metro\"}")
                .when().post("/api/calltracking/numbers").then().statusCode(201);
        dni(site, "visitor-static-1", "{\"source\": \"billboard\"}").body("kind", equalTo("static")).body("number_e164", equalTo("+74952033177"));
        dni(site, "visitor-static-2", "{\"source\": \"billboard\", \"campaign\": \"metro\"}").body("number_e164", equalTo("+74952033178"));
        dni(site, "visitor-static-3", "{\"source\": \"yandex\", \"medium\": \"cpc\"}").body("kind", equalTo("pool"));
    }

    @Test
    void aNumberIsTrackedOnceAcrossWorkspaces() {
        String acme = FakeTrackingService.site("acme", "taken");
        String globex = FakeTrackingService.site("globex", "taken");
        CallTrackingFixtures.pool("acme", acme, "", CallTrackingFixtures.numbers(4, 1));
        String globexPool = CallTrackingFixtures.pool("globex", globex, "", List.of());
        given().auth().oauth2(TestTokens.user("globex", "admin")).contentType(ContentType.JSON)
                .body("{\"numbers\": [\"" + CallTrackingFixtures.numbers(4, 1).get(0) + "\"]}")
                .when().post("/api/calltracking/pools/" + globexPool + "/numbers").then().statusCode(409);
        // Nor can a workspace add numbers to another's pool or see its numbers.
        String acmePool = CallTrackingFixtures.pool("acme", FakeTrackingService.site("acme", "taken2"), "", List.of());
        given().auth().oauth2(TestTokens.user("globex", "admin")).contentType(ContentType.JSON).body("{\"numbers\": [\"+74952990011\"]}")
                .when().post("/api/calltracking/pools/" + acmePool + "/numbers").then().statusCode(404);
        given().auth().oauth2(TestTokens.user("globex", "analyst")).when().get("/api/calltracking/numbers").then().statusCode(200)
                .body("items.e164", org.hamcrest.Matchers.not(hasItem(CallTrackingFixtures.numbers(4, 1).get(0))));
    }

    @Test
    void badRequestsGetProblemsNamingTheField() {
        String site = FakeTrackingService.site("acme", "bad");
        given().contentType("text/plain").body("{\"site\": \"" + site + "\"}").when().post("/dni").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("visitor_id"));
        given().contentType("text/plain").body("not json").when().post("/dni").then().statusCode(400).body("errors.field", hasItem("body"));
        given().contentType("text/plain").body("{\"site\": \"pk_nosuch\", \"visitor_id\": \"visitor-x-1\"}").when().post("/dni").then()
                .statusCode(403).body("errors.field", hasItem("site"));
        given().contentType("text/plain").header("Origin", "https://evil.example")
                .body("{\"site\": \"" + site + "\", \"visitor_id\": \"visitor-x-1\"}").when().post("/dni").then()
                .statusCode(403).body("errors.field", hasItem("Origin"));
        given().contentType("text/plain").body("{\"site\": \"" + site + "\", \"visitor_id\": \"" + "v".repeat(9000) + "\"}")
                .when().post("/dni").then().statusCode(413);
        given().contentType("text/plain").body("{\"site\": \"" + site + "\", \"visitor_id\": \"visitor-x-1\", \"campaign\": {\"nope\": \"x\"}}")
                .when().post("/dni").then().statusCode(400).body("errors.field", hasItem("campaign.nope"));
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON)
                .body("{\"site_key\": \"" + site + "\", \"number\": \"12\"}").when().post("/api/calltracking/numbers").then().statusCode(400)
                .body("errors.field", hasItem("number"));
        // A site without a pool: nothing to swap.
        dni(site, "visitor-x-1", null).statusCode(200).body("kind", equalTo("none")).body("number_e164", nullValue());
    }

    @Test
    void preflightAllowsPostFromPages() {
        given().header("Origin", "https://shop.test").header("Access-Control-Request-Method", "POST").when().options("/dni").then()
                .statusCode(204).header("Access-Control-Allow-Origin", equalTo("https://shop.test"));
    }
}
