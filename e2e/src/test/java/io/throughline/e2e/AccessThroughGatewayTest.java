package io.throughline.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.http.ContentType;
import io.throughline.devstack.StackSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(RunningStack.class)
class AccessThroughGatewayTest {

    private static Keycloak keycloak;

    @BeforeAll
    static void keycloak(StackSettings settings) {
        keycloak = new Keycloak(settings);
    }

    @Test
    void withoutATokenTheApiIs401WithProblemDetails() {
        given().when().get("/api/tracking/sites").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", startsWith("Bearer"));
    }

    @Test
    void anAdPlatformTokenCannotReadReports() {
        String adPlatform = keycloak.client("ad-platform-acme", "dev-ad-platform-acme-secret");
        given().auth().oauth2(adPlatform).when().get("/api/reporting/reports/channels?from=2026-01-01&to=2026-01-31")
                .then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void anAnalystCannotChangeSettingsButAnAdminCan() {
        String body = "{\"hub_threshold\": 4, \"role_mailboxes\": [\"info\", \"noreply\"]}";
        given().auth().oauth2(keycloak.login("acme-analyst")).contentType(ContentType.JSON).body(body)
                .when().put("/api/identity/settings").then().statusCode(403);
        given().auth().oauth2(keycloak.login("acme-admin")).contentType(ContentType.JSON).body(body)
                .when().put("/api/identity/settings").then().statusCode(200).body("hub_threshold", equalTo(4));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/tracking/sites", "/api/calltracking/pools", "/api/identity/settings",
            "/api/attribution/stage-mappings", "/api/reporting/reports/channels?from=2026-01-01&to=2026-01-31"})
    void aDemoAnalystReachesEveryService(String path) {
        given().auth().oauth2(keycloak.login("acme-analyst")).when().get(path).then().statusCode(200);
    }

    @Test
    void theMergedOpenApiDescribesEveryService() {
        given().when().get("/openapi").then().statusCode(200)
                .body("paths.keySet()", org.hamcrest.Matchers.hasItems("/api/tracking/sites", "/api/calltracking/pools",
                        "/api/identity/settings", "/api/attribution/stage-mappings", "/api/reporting/reports/channels"));
    }
}
