package io.throughline.calltracking.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.throughline.calltracking.FakeTrackingService;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_calltracking_test"))
class PoolResourceTest {

    private static String pool(String name, String siteKey) {
        return "{\"name\": \"" + name + "\", \"site_key\": \"" + siteKey + "\"}";
    }

    @Test
    void refusesAnonymousAndWrongRole() {
        given().when().get("/api/calltracking/pools").then().statusCode(401);
        given().auth().oauth2(TestTokens.user("acme", "analyst")).contentType(ContentType.JSON)
                .body(pool("p", FakeTrackingService.ACME_SITE)).when().post("/api/calltracking/pools")
                .then().statusCode(403);
        given().auth().oauth2(TestTokens.user("acme", "audience-reader")).when().get("/api/calltracking/pools")
                .then().statusCode(403);
    }

    @Test
    void createsPoolForOwnSiteWithDefaults() {
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON)
                .body(pool("Main pool", FakeTrackingService.ACME_SITE)).when().post("/api/calltracking/pools")
                .then().statusCode(201)
                .body("hold_seconds", equalTo(180))
                .body("overflow_policy", equalTo("default_number"))
                .body("site_key", equalTo(FakeTrackingService.ACME_SITE));
    }

    @Test
    void theRequestIdTravelsToTrackingOverGrpcAndBackToTheCaller() {
        given().auth().oauth2(TestTokens.user("acme", "admin")).header("X-Request-Id", "req-pool-0123456789")
                .contentType(ContentType.JSON).body(pool("Traced pool", FakeTrackingService.ACME_SITE))
                .when().post("/api/calltracking/pools")
                .then().statusCode(201).header("X-Request-Id", equalTo("req-pool-0123456789"));
        org.junit.jupiter.api.Assertions.assertEquals("req-pool-0123456789", FakeTrackingService.lastRequestId);
    }

    @Test
    void anotherWorkspacesSiteIsUnprocessableWithoutRevealingIt() {
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON)
                .body(pool("Stolen", FakeTrackingService.GLOBEX_SITE)).when().post("/api/calltracking/pools")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("site_key"))
                .body("errors[0].message", equalTo("is not a site of this workspace"));
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON)
                .body(pool("Unknown", "pk_nosuchsite")).when().post("/api/calltracking/pools")
                .then().statusCode(422).body("errors[0].message", equalTo("is not a site of this workspace"));
    }

    @Test
    void trackingOutageIsA503WithRetryAfter() {
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON)
                .body(pool("During outage", FakeTrackingService.OUTAGE)).when().post("/api/calltracking/pools")
                .then().statusCode(503).header("Retry-After", equalTo("10")).contentType("application/problem+json");
    }

    @Test
    void validatesHoldAndOverflowPolicy() {
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON)
                .body("{\"name\": \"x\", \"site_key\": \"" + FakeTrackingService.ACME_SITE
                        + "\", \"hold_seconds\": 5, \"overflow_policy\": \"pray\"}")
                .when().post("/api/calltracking/pools")
                .then().statusCode(400)
                .body("errors.field", hasItem("hold_seconds"))
                .body("errors.field", hasItem("overflow_policy"));
    }

    @Test
    void duplicateNameIsAConflict() {
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON)
                .body(pool("Twice", FakeTrackingService.ACME_SITE)).when().post("/api/calltracking/pools").then().statusCode(201);
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON)
                .body(pool("Twice", FakeTrackingService.ACME_SITE)).when().post("/api/calltracking/pools").then().statusCode(409);
    }

    @Test
    void workspacesNeverSeeEachOthersPools() {
        String globexPool = given().auth().oauth2(TestTokens.user("globex", "admin")).contentType(ContentType.JSON)
                .body(pool("Globex pool", FakeTrackingService.GLOBEX_SITE)).when().post("/api/calltracking/pools")
                .then().statusCode(201).extract().path("id");
        given().auth().oauth2(TestTokens.user("acme", "analyst")).when().get("/api/calltracking/pools")
                .then().statusCode(200).body("items.name", everyItem(not(equalTo("Globex pool"))));
        given().auth().oauth2(TestTokens.user("acme", "analyst")).when().get("/api/calltracking/pools/" + globexPool)
                .then().statusCode(404);
        given().auth().oauth2(TestTokens.user("globex", "analyst")).when().get("/api/calltracking/pools/" + globexPool)
                .then().statusCode(200).body("name", equalTo("Globex pool"));
    }
}
