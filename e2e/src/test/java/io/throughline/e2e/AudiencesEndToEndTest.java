package io.throughline.e2e;

import static io.restassured.RestAssured.given;
import static io.throughline.e2e.Eventually.waitFor;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.throughline.devstack.StackSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The exclusion audience over the real stack: a paid CRM deal's contact is linked in identity-service, attribution
 * asks identity over gRPC for the payer's contacts, and the ad platform's Keycloak service account pulls the list
 * through the gateway with the payer's e-mail hashed as Google wants it; the feed URL works with its own
 * credentials; another workspace's uploader gets 404; after the person is erased in identity, the next export no
 * longer holds them.
 */
@ExtendWith(RunningStack.class)
class AudiencesEndToEndTest {

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aPayerIsExportedToTheAdPlatformAndLeavesWhenErased(StackSettings settings) throws Exception {
        Keycloak keycloak = new Keycloak(settings);
        String admin = keycloak.login("acme-admin");
        String run = UUID.randomUUID().toString().substring(0, 8);
        String email = "Aud.E2E." + run + "@Mail.ru";
        String paidAt = Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.SECONDS).toString();
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("""
                {"title": "E2E audience order", "status": "won", "amount": 1500.00, "currency": "RUB", "updated_at": "%s",
                 "contact": {"emails": ["%s"]}, "payments": [{"id": "pay-1", "amount": 1500.00, "paid_at": "%s"}]}"""
                .formatted(paidAt, email, paidAt))
                .when().put("/api/attribution/deals/e2e-crm/aud-" + run).then().statusCode(200);

        String payers = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\": \"E2E payers " + run + "\", \"kind\": \"paid_customers\", \"within_days\": 30}")
                .when().post("/api/attribution/audiences").then().statusCode(201).extract().path("id");
        StringBuilder list = new StringBuilder("email\n");
        for (int i = 0; i < 100; i++) {
            list.append("staff").append(i).append(".").append(run).append("@acme-school.ru\n");
        }
        String staff = given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"name\": \"E2E staff " + run + "\", \"kind\": \"uploaded\"}")
                .when().post("/api/attribution/audiences").then().statusCode(201).extract().path("id");
        given().auth().oauth2(admin).contentType("text/csv").body(list.toString()).when().put("/api/attribution/audiences/" + staff + "/entries")
                .then().statusCode(200);
        String exclusion = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\": \"E2E exclusion " + run + "\", \"kind\": \"combined\", \"include\": [\"" + payers + "\", \"" + staff + "\"]}")
                .when().post("/api/attribution/audiences").then().statusCode(201).extract().path("id");

        // Linked in identity-service, then evaluated: the member's contacts come from identity over gRPC.
        String normalized = email.toLowerCase();
        String person = waitFor(() -> {
            List<Map<String, Object>> members = given().auth().oauth2(admin).queryParam("limit", 1000).when()
                    .get("/api/attribution/audiences/" + payers + "/members").then().statusCode(200).extract().path("items");
            return members.stream().filter(m -> ((List<?>) m.get("emails")).contains(normalized)).map(m -> ((String) m.get("key")).substring(2))
                    .findFirst().orElse(null);
        }, "the payer to join the audience");

        String uploader = keycloak.client("ad-platform-acme", "dev-ad-platform-acme-secret");
        String googleEmail = sha256(normalized);
        String csv = waitFor(() -> {
            var response = given().auth().oauth2(uploader).when().get("/api/attribution/audiences/" + exclusion + "/export?platform=google").then()
                    .extract();
            // 422 until the new combination's first version is evaluated (an empty list is below the platform's minimum).
            if (response.statusCode() == 422) {
                return null;
            }
            assertEquals(200, response.statusCode(), response.asString());
            String body = response.asString();
            return body.contains(googleEmail) ? body : null;
        }, "the combination to include the payer");
        assertTrue(csv.startsWith("Email,Phone\n"));
        assertTrue(csv.contains(sha256("staff0." + run + "@acme-school.ru")));

        given().auth().oauth2(keycloak.client("ad-platform-globex", "dev-ad-platform-globex-secret")).when()
                .get("/api/attribution/audiences/" + exclusion + "/export?platform=google").then().statusCode(404);
        given().auth().oauth2(keycloak.login("acme-analyst")).when().get("/api/attribution/audiences/" + exclusion + "/export?platform=google")
                .then().statusCode(403);
        given().when().get("/api/attribution/audiences/" + exclusion + "/export?platform=google").then().statusCode(401);

        Map<String, Object> feed = given().auth().oauth2(admin).when().post("/api/attribution/audiences/" + exclusion + "/feed-credentials").then()
                .statusCode(200).extract().as(Map.class);
        String basic = "Basic " + Base64.getEncoder().encodeToString((feed.get("user") + ":" + feed.get("secret")).getBytes(StandardCharsets.UTF_8));
        String fetched = given().header("Authorization", basic).when().get("/feeds/audiences/" + exclusion + "/yandex.csv").then().statusCode(200)
                .extract().asString();
        assertTrue(fetched.startsWith("email,phone\n") && fetched.contains(sha256(normalized)), "Yandex: SHA-256 of the e-mail");
        given().when().get("/feeds/audiences/" + exclusion + "/yandex.csv").then().statusCode(401);

        // Erased in identity-service: gone from every audience, so from the next export.
        given().auth().oauth2(admin).when().delete("/api/identity/persons/" + person).then().statusCode(202);
        waitFor(() -> given().auth().oauth2(uploader).when().get("/api/attribution/audiences/" + exclusion + "/export?platform=google").then()
                .statusCode(200).extract().asString().contains(googleEmail) ? null : "", "the erased payer to leave the export");
        List<Map<String, Object>> pulls = given().auth().oauth2(admin).when().get("/api/attribution/audiences/" + exclusion + "/pulls").then()
                .statusCode(200).extract().path("items");
        assertTrue(pulls.stream().anyMatch(p -> "feed".equals(p.get("via"))));
        assertTrue(pulls.stream().anyMatch(p -> "ad-platform-acme".equals(p.get("who"))), pulls.toString());
        assertFalse(pulls.isEmpty());
    }
}
