package io.throughline.attribution.runs;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.throughline.attribution.FakeIdentityService;
import io.throughline.attribution.FakeTouchpoints;
import io.throughline.testkit.TestTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One workspace's data as tracking, calltracking, identity and the CRM would hold it, built through the real deal
 * API and the gRPC fakes. Person 1 (visitor v1 and a phone): a paid search session with a click id, an e-mail
 * session, a bot session (excluded), a call from their phone (organic search, no visitor) and a deal paid in two
 * payments with a refund. Person 2: a social session and a lost deal. Person 3: a paid deal and no touch at all.
 */
final class RunFixtures {

    static final String D1_CREATED = "2026-10-05T12:00:00Z";

    private RunFixtures() {
    }

    static void workspace(String tenant) {
        FakeIdentityService.person(tenant, tenant + "-p1", List.of("v1"), "+79162104587");
        FakeIdentityService.person(tenant, tenant + "-p2", List.of("v2"));
        FakeTouchpoints.session(tenant, tenant + "-s1", "v1", "2026-10-01T09:00:00Z", "paid_search", "yandex", "sofa-sale", true, false);
        FakeTouchpoints.session(tenant, tenant + "-s2", "v1", "2026-10-05T10:00:00Z", "email", "newsletter", "", false, false);
        FakeTouchpoints.session(tenant, tenant + "-bot", "v1", "2026-10-06T10:00:00Z", "direct", "", "", false, true);
        FakeTouchpoints.call(tenant, tenant + "-c1", null, "+79162104587", "2026-10-07T10:00:00Z", "organic_search", "google", false);
        FakeTouchpoints.call(tenant, tenant + "-spam", null, "+79162104587", "2026-10-07T11:00:00Z", "display", "", true);
        FakeTouchpoints.session(tenant, tenant + "-s3", "v2", "2026-10-02T09:00:00Z", "social", "vk", "", false, false);
        given().auth().oauth2(TestTokens.user(tenant, "admin")).contentType(ContentType.JSON)
                .body("{\"mappings\": [{\"stage\": \"Qualified\", \"canonical\": \"qualified\"}, {\"stage\": \"Paid\", \"canonical\": \"paid\"}]}")
                .when().put("/api/attribution/stage-mappings/my-crm").then().statusCode(200);
        putDeal(tenant, "d1", "won", "2026-10-12T12:00:00Z", "\"visitor_id\": \"v1\", \"phones\": [\"8 (916) 210-45-87\"]",
                "[{\"stage\": \"New lead\", \"entered_at\": \"" + D1_CREATED + "\"}, {\"stage\": \"Qualified\", \"entered_at\": \"2026-10-06T12:00:00Z\"},"
                        + " {\"stage\": \"Paid\", \"entered_at\": \"2026-10-08T12:00:00Z\"}]",
                "[{\"id\": \"p1\", \"amount\": 10000, \"paid_at\": \"2026-10-08T12:00:00Z\"}, {\"id\": \"p2\", \"amount\": 5000, \"paid_at\":"
                        + " \"2026-10-10T12:00:00Z\"}, {\"id\": \"r1\", \"kind\": \"refund\", \"amount\": 1000, \"paid_at\": \"2026-10-12T12:00:00Z\"}]")
                .statusCode(200);
        putDeal(tenant, "d2", "lost", "2026-10-04T12:00:00Z", "\"visitor_id\": \"v2\"", "[]", "[]").statusCode(200);
        putDeal(tenant, "d3", "won", "2026-10-20T12:00:00Z", "\"emails\": [\"nobody-" + tenant + "@example.com\"]", "[]",
                "[{\"id\": \"p9\", \"amount\": 3000, \"paid_at\": \"2026-10-20T12:00:00Z\"}]").statusCode(200);
    }

    static ValidatableResponse putDeal(String tenant, String id, String status, String updatedAt, String contact, String stages, String payments) {
        String body = "{\"title\": \"Order " + id + "\", \"status\": \"" + status + "\", \"amount\": 15000, \"cost\": 6000, \"currency\": \"RUB\","
                + (status.equals("lost") ? " \"loss_reason\": \"too expensive\"," : "")
                + " \"created_at\": \"" + (id.equals("d1") ? D1_CREATED : updatedAt) + "\", \"updated_at\": \"" + updatedAt + "\", \"contact\": {"
                + contact + "}, \"stage_history\": " + stages + ", \"payments\": " + payments + "}";
        return given().auth().oauth2(TestTokens.user(tenant, "admin")).contentType(ContentType.JSON).body(body)
                .when().put("/api/attribution/deals/my-crm/" + id).then();
    }

    /** Starts a run and waits for it to finish; answers its id. */
    static String run(String tenant, String body) {
        String id = given().auth().oauth2(TestTokens.user(tenant, "analyst")).contentType(ContentType.JSON).body(body)
                .when().post("/api/attribution/runs").then().statusCode(202).extract().path("id");
        awaitFinished(tenant, id);
        return id;
    }

    static String awaitFinished(String tenant, String id) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            String status = given().auth().oauth2(TestTokens.user(tenant, "analyst")).when().get("/api/attribution/runs/" + id).then().statusCode(200)
                    .extract().path("status");
            if (!"running".equals(status)) {
                return status;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("run " + id + " did not finish in 30 s");
    }

    static ValidatableResponse credits(String tenant, String id, String groupBy) {
        return given().auth().oauth2(TestTokens.user(tenant, "analyst")).queryParam("group_by", groupBy).when()
                .get("/api/attribution/runs/" + id + "/credits").then();
    }
}
