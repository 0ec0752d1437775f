package io.throughline.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.notNullValue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.throughline.devstack.StackSettings;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Broken object-level authorization on the webhook routes (OWASP API1): a webhook names its integration in the path
 * and proves itself with that integration's secret. Signed with another workspace's secret, or with its own secret on
 * another workspace's integration id, or for an id that does not exist, a call or a deal is refused with a problem
 * body, and nothing of it reaches either workspace; the right pair is accepted (so the refusals are not a broken route).
 */
@ExtendWith(RunningStack.class)
class WebhookIsolationTest {

    @Test
    void callAndCrmWebhooksAcceptOnlyTheirOwnIntegrationsSecret(StackSettings stack) {
        Keycloak keycloak = new Keycloak(stack);
        String acme = keycloak.login("acme-admin");
        String globex = keycloak.login("globex-admin");
        String tag = UUID.randomUUID().toString().substring(0, 8);
        JsonPath acmePbx = integration(acme, "/api/calltracking/integrations", "{\"name\": \"BOLA PBX " + tag + "\", \"format\": \"generic\"}");
        JsonPath globexPbx = integration(globex, "/api/calltracking/integrations", "{\"name\": \"BOLA PBX " + tag + "\", \"format\": \"generic\"}");
        JsonPath acmeCrm = integration(acme, "/api/attribution/integrations",
                "{\"name\": \"BOLA CRM " + tag + "\", \"format\": \"generic\", \"crm\": \"bola\"}");
        JsonPath globexCrm = integration(globex, "/api/attribution/integrations",
                "{\"name\": \"BOLA CRM " + tag + "\", \"format\": \"generic\", \"crm\": \"bola\"}");

        String caller = "+7916" + (1000000 + Math.abs(tag.hashCode()) % 8999999);
        Instant started = Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String call = "{\"call_id\": \"bola-" + tag + "\", \"event\": \"call.completed\", \"direction\": \"inbound\", \"from\": \"" + caller
                + "\", \"to\": \"+74952049901\", \"started_at\": \"" + started + "\", \"status\": \"answered\", \"answered_at\": \""
                + started.plusSeconds(5) + "\", \"ended_at\": \"" + started.plusSeconds(35) + "\", \"duration_sec\": 35, \"talk_sec\": 30}";
        String deal = "{\"external_id\": \"bola-" + tag + "\", \"title\": \"BOLA\", \"status\": \"open\", \"amount\": 100.00, \"currency\": \"RUB\","
                + " \"updated_at\": \"" + Instant.now().minusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\"}";
        String unknown = UUID.randomUUID().toString();
        for (String[] attempt : List.of(
                new String[] {"/webhooks/calls/generic/" + acmePbx.getString("id"), globexPbx.getString("secret"), call},
                new String[] {"/webhooks/calls/generic/" + globexPbx.getString("id"), acmePbx.getString("secret"), call},
                new String[] {"/webhooks/calls/generic/" + unknown, acmePbx.getString("secret"), call},
                new String[] {"/webhooks/calls/generic/not-an-id", acmePbx.getString("secret"), call},
                new String[] {"/webhooks/crm/generic/" + acmeCrm.getString("id"), globexCrm.getString("secret"), deal},
                new String[] {"/webhooks/crm/generic/" + globexCrm.getString("id"), acmeCrm.getString("secret"), deal},
                new String[] {"/webhooks/crm/generic/" + unknown, acmeCrm.getString("secret"), deal},
                new String[] {"/webhooks/crm/generic/not-an-id", acmeCrm.getString("secret"), deal})) {
            int status = signed(attempt[0], attempt[1], attempt[2]).then().body("title", notNullValue()).extract().statusCode();
            Assertions.assertTrue(status == 401 || status == 404 || status == 400, attempt[0] + " answered " + status);
        }
        for (String token : List.of(acme, globex)) {
            given().auth().oauth2(token).queryParam("caller", caller).when().get("/api/calltracking/calls").then().statusCode(200)
                    .body("items.size()", org.hamcrest.Matchers.equalTo(0));
            given().auth().oauth2(token).queryParam("crm", "bola").when().get("/api/attribution/deals").then().statusCode(200)
                    .body("items.size()", org.hamcrest.Matchers.equalTo(0));
        }

        // The right pairs are accepted, and each lands in its own workspace only.
        signed("/webhooks/calls/generic/" + acmePbx.getString("id"), acmePbx.getString("secret"), call).then().statusCode(200);
        signed("/webhooks/crm/generic/" + globexCrm.getString("id"), globexCrm.getString("secret"), deal).then().statusCode(200);
        Eventually.waitFor(() -> given().auth().oauth2(acme).queryParam("caller", caller).when().get("/api/calltracking/calls").then()
                .extract().jsonPath().getList("items").size() == 1 ? "" : null, "acme's call");
        given().auth().oauth2(globex).queryParam("caller", caller).when().get("/api/calltracking/calls").then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(0));
        given().auth().oauth2(globex).queryParam("crm", "bola").when().get("/api/attribution/deals").then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(1));
        given().auth().oauth2(acme).queryParam("crm", "bola").when().get("/api/attribution/deals").then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(0));
    }

    private static JsonPath integration(String token, String path, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).when().post(path).then().statusCode(201)
                .extract().jsonPath();
    }

    private static io.restassured.response.Response signed(String path, String secret, String body) {
        String ts = String.valueOf(Instant.now().getEpochSecond());
        return given().contentType(ContentType.JSON).header("X-Timestamp", ts).header("X-Signature", WebhookSigning.generic(secret, ts, body))
                .body(body).when().post(path);
    }
}
