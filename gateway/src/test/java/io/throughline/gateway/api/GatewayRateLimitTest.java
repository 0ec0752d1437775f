package io.throughline.gateway.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.throughline.gateway.FakeServices;
import io.throughline.testkit.TestTokens;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(GatewayRateLimitTest.TightLimits.class)
@QuarkusTestResource(FakeServices.class)
class GatewayRateLimitTest {

    public static class TightLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("throughline.gateway.limits.public-per-second", "1", "throughline.gateway.limits.public-burst", "5",
                    "throughline.gateway.limits.api-per-second", "1", "throughline.gateway.limits.api-burst", "5");
        }
    }

    @Test
    void publicPathsAreLimitedPerClientIpWithRetryAfter() {
        assertTrue(hits429(() -> given().when().get("/t.js")), "expected a 429 after the burst");
    }

    @Test
    void apiIsLimitedPerClientAndOneClientDoesNotStarveAnother() {
        String greedy = TestTokens.user("acme", "analyst");
        assertTrue(hits429(() -> given().auth().oauth2(greedy).when().get("/api/reporting/things")));
        given().auth().oauth2(TestTokens.user("globex", "analyst")).when().get("/api/reporting/things").then().statusCode(200);
    }

    /**
     * Every public route family and every service's API prefix stands behind a limiter: a client that keeps sending is answered
     * 429 with Retry-After and a problem body, whatever the method and path (the bucket refills a token a second here).
     */
    @Test
    void everyPublicRouteAndEveryApiPrefixIsRateLimited() {
        assertTrue(hits429(() -> given().when().get("/t.js")));
        java.util.List<java.util.function.Supplier<Response>> publicRoutes = java.util.List.of(
                () -> given().contentType("text/plain").body("{}").when().post("/collect"),
                () -> given().when().get("/collect?site=pk_x"),
                () -> given().contentType("text/plain").body("{}").when().post("/dni"),
                () -> given().contentType("application/json").body("{}").when().post("/webhooks/calls/generic/00000000-0000-0000-0000-000000000000"),
                () -> given().contentType("application/x-www-form-urlencoded").body("a=b").when().post("/webhooks/calls/twilio/x"),
                () -> given().contentType("application/json").body("{}").when().post("/webhooks/crm/generic/00000000-0000-0000-0000-000000000000"),
                () -> given().contentType("application/x-www-form-urlencoded").body("a=b").when().post("/webhooks/crm/amocrm/x"),
                () -> given().when().get("/feeds/audiences/00000000-0000-0000-0000-000000000000/google.csv"));
        for (var route : publicRoutes) {
            assertTrue(hits429(route), "a public route without a limit");
        }
        String token = TestTokens.user("acme", "admin");
        assertTrue(hits429(() -> given().auth().oauth2(token).when().get("/api/reporting/things")));
        for (String prefix : java.util.List.of("/api/tracking/sites", "/api/calltracking/pools", "/api/identity/persons/x", "/api/attribution/deals",
                "/api/reporting/reports/channels")) {
            assertTrue(hits429(() -> given().auth().oauth2(token).contentType("application/json").body("{}").when().post(prefix)), prefix);
        }
    }

    private static boolean hits429(java.util.function.Supplier<Response> call) {
        for (int i = 0; i < 20; i++) {
            Response response = call.get();
            if (response.statusCode() == 429) {
                assertTrue(Long.parseLong(response.header("Retry-After")) >= 1);
                assertTrue(response.contentType().contains("problem+json"), response.contentType());
                return true;
            }
        }
        return false;
    }
}
