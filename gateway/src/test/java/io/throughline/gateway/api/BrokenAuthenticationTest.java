package io.throughline.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.throughline.gateway.FakeServices;
import io.throughline.testkit.TestTokens;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OWASP API2 (broken authentication): every token the gateway must not trust is refused with a 401 and a
 * problem-details body, never forwarded: expired, signed by an unknown key, issued by another issuer, meant for
 * another audience, unsigned ({@code alg: none}), or not a JWT at all. A valid token of the same shape passes.
 */
@QuarkusTest
@QuarkusTestResource(FakeServices.class)
class BrokenAuthenticationTest {

    static Stream<Arguments> untrusted() {
        return Stream.of(
                Arguments.of("expired an hour ago", TestTokens.expired("acme", Duration.ofHours(1), "admin")),
                Arguments.of("signed by an unknown key", TestTokens.forged("acme", "admin")),
                Arguments.of("another issuer", TestTokens.otherIssuer("acme", "admin")),
                Arguments.of("another audience", TestTokens.otherAudience("acme", "admin")),
                Arguments.of("alg none", TestTokens.unsigned("acme", "admin")),
                Arguments.of("not a JWT", "not-a-jwt"),
                Arguments.of("a JWT cut short", TestTokens.user("acme", "admin").substring(0, 40)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("untrusted")
    void untrustedTokensGetA401WithAProblemBody(String what, String token) {
        for (String path : new String[] {"/api/reporting/costs", "/api/attribution/deals", "/api/tracking/sites", "/api/calltracking/pools"}) {
            given().auth().oauth2(token).when().get(path).then().statusCode(401)
                    .contentType("application/problem+json")
                    .header("WWW-Authenticate", startsWith("Bearer"))
                    .body("status", equalTo(401))
                    .body("title", notNullValue());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("untrusted")
    void untrustedTokensNeverReachAService(String what, String token) {
        given().auth().oauth2(token).when().post("/api/attribution/runs").then().statusCode(401).contentType("application/problem+json");
    }

    @org.junit.jupiter.api.Test
    void theSameTokenSignedProperlyPasses() {
        given().auth().oauth2(TestTokens.user("acme", "admin")).when().get("/api/reporting/costs").then().statusCode(200)
                .body("service", equalTo("reporting"));
    }
}
