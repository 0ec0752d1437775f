package io.throughline.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.throughline.gateway.FakeServices;
import io.throughline.testkit.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
@QuarkusTestResource(FakeServices.class)
class GatewayRoutingTest {

    @Test
    void apiNeedsAToken() {
        given().when().get("/api/reporting/costs").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", startsWith("Bearer"));
    }

    @Test
    void forgedTokensAreRefused() {
        given().auth().oauth2(TestTokens.forged("acme", "admin")).when().get("/api/reporting/costs").then().statusCode(401);
    }

    @Test
    void audienceReaderReachesAudiencesOnly() {
        String token = TestTokens.user("acme", "audience-reader");
        given().auth().oauth2(token).when().get("/api/reporting/costs").then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(token).when().get("/api/attribution/audiences/buyers").then().statusCode(200)
                .body("service", equalTo("attribution"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tracking", "calltracking", "attribution", "reporting"})
    void forwardsEachServicesApiWithTheCallersTokenAndARequestId(String service) {
        String token = TestTokens.user("acme", "analyst");
        given().auth().oauth2(token).when().get("/api/" + service + "/things?x=1").then().statusCode(200)
                .body("service", equalTo(service))
                .body("path", equalTo("/api/" + service + "/things?x=1"))
                .body("authorization", equalTo("Bearer " + token))
                .body("request_id", notNullValue())
                .header("X-Request-Id", notNullValue());
    }

    @Test
    void keepsTheCallersRequestId() {
        given().auth().oauth2(TestTokens.user("acme", "analyst")).header("X-Request-Id", "req-1234567890")
                .when().get("/api/reporting/things").then().statusCode(200).body("request_id", equalTo("req-1234567890"));
    }

    @Test
    void publicPathsNeedNoLogin() {
        given().when().get("/t.js").then().statusCode(200).body("service", equalTo("collector"));
        given().contentType(ContentType.TEXT).body("[]").when().post("/collect").then().statusCode(200).body("service", equalTo("collector"));
        given().contentType(ContentType.JSON).body("{}").when().post("/dni").then().statusCode(200).body("service", equalTo("calltracking"));
        given().contentType(ContentType.JSON).body("{}").when().post("/webhooks/calls/generic").then().statusCode(200)
                .body("service", equalTo("calltracking"));
        given().contentType(ContentType.JSON).body("{}").when().post("/webhooks/crm/amocrm").then().statusCode(200)
                .body("service", equalTo("attribution"));
    }

    @Test
    void publicCallersAddressIsPassedOnAndCannotBeSpoofed() {
        given().contentType(ContentType.TEXT).header("X-Forwarded-For", "6.6.6.6").body("[]").when().post("/collect")
                .then().statusCode(200).body("forwarded_for", org.hamcrest.Matchers.anyOf(equalTo("127.0.0.1"), equalTo("0:0:0:0:0:0:0:1")));
    }

    @Test
    void streamsLargeApiBodiesWhole() {
        byte[] body = new byte[1_500_000];
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON).body(body)
                .when().put("/api/reporting/costs").then().statusCode(200).body("body_bytes", equalTo(body.length));
    }

    @Test
    void refusesOversizedBodiesBeforeForwarding() {
        given().contentType(ContentType.TEXT).body(new byte[70_000]).when().post("/collect").then().statusCode(413)
                .contentType("application/problem+json");
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON).body(new byte[3_000_000])
                .when().put("/api/reporting/costs").then().statusCode(413);
    }

    @Test
    void uploadPathsTakeFilesLargerThanApiBodies() {
        byte[] file = new byte[5_000_000];
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType("text/csv").body(file)
                .when().put("/api/reporting/spend/imports").then().statusCode(200).body("body_bytes", equalTo(file.length));
    }

    @Test
    void unknownPathsAndServicesAreNotFound() {
        given().auth().oauth2(TestTokens.user("acme", "admin")).when().get("/api/billing/x").then().statusCode(404)
                .contentType("application/problem+json");
        given().when().get("/webhooks/").then().statusCode(404);
    }

    @Test
    void anIdempotentRequestWhoseConnectionTheServiceClosedIsSentOnceMoreWithItsWholeBody() throws Exception {
        String token = TestTokens.user("acme", "admin");
        byte[] body = ("{\"title\": \"" + "x".repeat(60_000) + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(body).when().put("/api/attribution/flaky/deal-1").then().statusCode(200)
                .body("attempts", equalTo(2)).body("body_bytes", equalTo(body.length)).body("body_sha256", equalTo(digest));
        given().auth().oauth2(token).when().get("/api/reporting/flaky/report?x=1").then().statusCode(200).body("attempts", equalTo(2));
        given().auth().oauth2(token).when().delete("/api/tracking/flaky/site-1").then().statusCode(200).body("attempts", equalTo(2));
        // A POST may have been acted on: it is never sent twice; the caller gets the 503 and decides.
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{}").when().post("/api/attribution/flaky/runs").then().statusCode(503)
                .header("Retry-After", notNullValue());
        org.junit.jupiter.api.Assertions.assertEquals(1, FakeServices.ATTEMPTS.get("POST /api/attribution/flaky/runs"));
    }

    @Test
    void aServiceThatIsDownIsA503WithRetryAfter() {
        given().auth().oauth2(TestTokens.user("acme", "analyst")).when().get("/api/identity/settings").then().statusCode(503)
                .header("Retry-After", notNullValue()).contentType("application/problem+json");
    }

    @Test
    void corsPreflightForTheDashboardOriginOnly() {
        given().header("Origin", "http://localhost:8080").header("Access-Control-Request-Method", "GET")
                .when().options("/api/reporting/costs").then().statusCode(204)
                .header("Access-Control-Allow-Origin", equalTo("http://localhost:8080"));
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "GET")
                .when().options("/api/reporting/costs").then().statusCode(403);
    }

    @Test
    void mergesTheServicesOpenApiDocuments() {
        given().when().get("/openapi").then().statusCode(200)
                .body("paths", hasKey("/api/tracking/things"))
                .body("paths", hasKey("/api/reporting/things"))
                .body("components.schemas", hasKey("reporting_Thing"))
                .body("x-unavailable-services", hasItem("identity"));
    }

    @Test
    void servesHealthAndSwaggerUi() {
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/q/swagger-ui/").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200);
    }
}
