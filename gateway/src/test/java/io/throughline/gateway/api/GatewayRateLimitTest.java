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

    private static boolean hits429(java.util.function.Supplier<Response> call) {
        for (int i = 0; i < 20; i++) {
            Response response = call.get();
            if (response.statusCode() == 429) {
                assertTrue(Long.parseLong(response.header("Retry-After")) >= 1);
                return true;
            }
        }
        return false;
    }
}
