package io.throughline.calltracking.calls;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.throughline.calltracking.domain.Signatures;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_calltracking_test"))
class WebhookResourceTest {

    private static io.restassured.response.ValidatableResponse log(String tenant, String caller) {
        return given().auth().oauth2(TestTokens.user(tenant, "analyst")).queryParam("caller", caller).when().get("/api/calltracking/calls")
                .then().statusCode(200);
    }

    @jakarta.inject.Inject
    javax.sql.DataSource db;

    @jakarta.inject.Inject
    io.throughline.calltracking.store.Integrations integrations;

    private String storedSecret(String id) throws java.sql.SQLException {
        return io.throughline.testkit.StoredValues.text(db, "SELECT secret FROM integrations WHERE id = ?", java.util.UUID.fromString(id));
    }


    @Test
    void webhookSecretsAreSealedAtRestAndOnesStoredPlainBeforeAreSealedByTheNextPass() throws Exception {
        String[] pbx = Webhooks.integration("acme", "Sealed PBX", "generic", null);
        String stored = storedSecret(pbx[0]);
        org.junit.jupiter.api.Assertions.assertTrue(stored.startsWith("sealed:") && !stored.contains(pbx[1]), "the column holds no plaintext");
        Instant start = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        Webhooks.generic(pbx, Webhooks.call("sealed-1", "call.started", "+79162104511", "+74952901100", start, null)).statusCode(200);

        String[] legacy = {pbx[0], "legacy-plain-pbx-secret-0123456789"};
        io.throughline.testkit.StoredValues.update(db, "UPDATE integrations SET secret = ? WHERE id = ?", legacy[1], java.util.UUID.fromString(pbx[0]));
        Webhooks.generic(legacy, Webhooks.call("sealed-2", "call.started", "+79162104512", "+74952901100", start, null)).statusCode(200);
        org.junit.jupiter.api.Assertions.assertTrue(integrations.reseal() >= 1);
        String resealed = storedSecret(pbx[0]);
        org.junit.jupiter.api.Assertions.assertTrue(resealed.startsWith("sealed:") && !resealed.contains("legacy-plain"), resealed);
        Webhooks.generic(legacy, Webhooks.call("sealed-3", "call.started", "+79162104513", "+74952901100", start, null)).statusCode(200);
        org.junit.jupiter.api.Assertions.assertEquals(0, integrations.reseal(), "nothing left to seal");
        Webhooks.generic(pbx, Webhooks.call("sealed-4", "call.started", "+79162104514", "+74952901100", start, null)).statusCode(401);
    }

    @Test
    void genericEventsOfOneCallMergeInAnyOrderAndRepeatsAreIdempotent() {
        String[] pbx = Webhooks.integration("acme", "Office PBX merge", "generic", null);
        Instant start = Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.SECONDS);
        // The completion arrives first, then the (late) start, then the completion again.
        String completed = Webhooks.call("merge-1", "call.completed", "+7 916 210-45-87", "+7 495 290-11-22", start,
                "\"status\": \"answered\", \"answered_at\": \"" + start.plusSeconds(8) + "\", \"ended_at\": \"" + start.plusSeconds(98)
                        + "\", \"duration_sec\": 98, \"talk_sec\": 90, \"wait_sec\": 8, \"agent\": \"Olga\"");
        String id = Webhooks.generic(pbx, completed).statusCode(200).body("status", equalTo("created")).extract().path("call_id");
        Webhooks.generic(pbx, Webhooks.call("merge-1", "call.started", "+7 916 210-45-87", "+7 495 290-11-22", start, null)).statusCode(200)
                .body("status", equalTo("updated")).body("call_id", equalTo(id));
        Webhooks.generic(pbx, completed).statusCode(200).body("call_id", equalTo(id));
        given().auth().oauth2(TestTokens.user("acme", "analyst")).when().get("/api/calltracking/calls/" + id).then().statusCode(200)
                .body("status", equalTo("answered")).body("completed", equalTo(true)).body("talk_seconds", equalTo(90))
                .body("caller", equalTo("+7916*****87")).body("called_number", equalTo("+74952901122")).body("agent", equalTo("Olga"))
                .body("started_at", equalTo(start.toString()));
        log("acme", "+79162104587").body("items", hasSize(1));
    }

    @Test
    void refusedPayloadsAreProblemsNamingTheFieldAndAreNeverStored() {
        String[] pbx = Webhooks.integration("acme", "Office PBX refusals", "generic", null);
        String body = Webhooks.call("refused-1", "call.started", "+79162104500", "+74952901100", Instant.now(), null);
        String ts = String.valueOf(Instant.now().getEpochSecond());
        given().contentType(ContentType.JSON).header("X-Timestamp", ts).body(body).when().post("/webhooks/calls/generic/" + pbx[0]).then()
                .statusCode(401).contentType("application/problem+json").body("errors[0].field", equalTo("X-Signature"));
        given().contentType(ContentType.JSON).header("X-Timestamp", ts).header("X-Signature", Signatures.generic("wrong-secret-0123456789", ts, body))
                .body(body).when().post("/webhooks/calls/generic/" + pbx[0]).then().statusCode(401);
        String stale = String.valueOf(Instant.now().minusSeconds(600).getEpochSecond());
        given().contentType(ContentType.JSON).header("X-Timestamp", stale).header("X-Signature", Signatures.generic(pbx[1], stale, body))
                .body(body).when().post("/webhooks/calls/generic/" + pbx[0]).then().statusCode(401).body("errors[0].field", equalTo("X-Timestamp"));
        Webhooks.generic(pbx, "{\"call_id\": \"refused-2\", \"from\": \"+79162104500\", \"started_at\": \"" + Instant.now() + "\"}")
                .statusCode(400).body("errors[0].field", equalTo("to"));
        Webhooks.generic(pbx, Webhooks.call("refused-3", "call.completed", "+79162104500", "+74952901100", Instant.now(), null))
                .statusCode(400).body("errors[0].field", equalTo("status"));
        Webhooks.generic(pbx, "[1, 2]").statusCode(400);
        Webhooks.generic(pbx, Webhooks.call("refused-4", "call.started", "+79162104500", "+74952901100", Instant.now().plusSeconds(3600), null))
                .statusCode(400).body("errors[0].field", equalTo("started_at"));
        given().contentType(ContentType.JSON).body("{}").when().post("/webhooks/calls/generic/" + java.util.UUID.randomUUID()).then().statusCode(404);
        given().contentType(ContentType.JSON).body("{}").when().post("/webhooks/calls/twilio/" + pbx[0]).then().statusCode(415);
        log("acme", "+79162104500").body("items", hasSize(0));
    }

    @Test
    void twilioStatusCallbacksUseDialCallStatusAndTheSignedPublicUrl() {
        String[] twilio = Webhooks.integration("acme", "Twilio", "twilio", "twilio-auth-token-0123456789abcdef");
        Map<String, String> params = new LinkedHashMap<>();
        params.put("AccountSid", "AC0123456789abcdef0123456789abcdef");
        params.put("CallSid", "CA11112222333344445555666677778888");
        params.put("From", "+79162104611");
        params.put("To", "+74952901133");
        params.put("Direction", "inbound");
        params.put("CallStatus", "completed");
        // The caller's leg completed, but the dialed agent never answered: not an answered call.
        params.put("DialCallStatus", "no-answer");
        params.put("CallDuration", "21");
        Webhooks.twilio(twilio, params).statusCode(200).contentType(startsWith("application/xml"));
        log("acme", "+79162104611").body("items", hasSize(1)).body("items[0].status", equalTo("no_answer"))
                .body("items[0].talk_seconds", equalTo(0));
        params.put("CallSid", "CA99990000");
        given().contentType(ContentType.URLENC).header("X-Twilio-Signature", "RSOYDt4T1cUTdK1PDd93/VVr8B8=").formParams(params)
                .when().post("/webhooks/calls/twilio/" + twilio[0]).then().statusCode(401).body("errors[0].field", equalTo("X-Twilio-Signature"));
    }

    @Test
    void zadarmaNotificationsAreSignedPerEventAndTheUrlCheckIsEchoed() {
        String[] zd = Webhooks.integration("acme", "Zadarma", "zadarma", "zadarma-api-secret-0123456789");
        given().when().get("/webhooks/calls/zadarma/" + zd[0] + "?zd_echo=abc123").then().statusCode(200).body(equalTo("abc123"));
        String start = LocalDateTime.now(ZoneId.of("Europe/Moscow")).minusSeconds(40).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        Map<String, String> begin = new LinkedHashMap<>();
        begin.put("event", "NOTIFY_START");
        begin.put("call_start", start);
        begin.put("pbx_call_id", "in_4c6b4f1e4b0a5c");
        begin.put("caller_id", "79162104722");
        begin.put("called_did", "74952901144");
        Webhooks.zadarma(zd, begin, "79162104722" + "74952901144" + start).statusCode(200).body("status", equalTo("created"));
        Map<String, String> end = new LinkedHashMap<>(begin);
        end.put("event", "NOTIFY_END");
        end.put("internal", "100");
        end.put("duration", "35");
        end.put("disposition", "answered");
        end.put("status_code", "16");
        end.put("is_recorded", "0");
        Webhooks.zadarma(zd, end, "79162104722" + "74952901144" + start).statusCode(200).body("status", equalTo("updated"));
        log("acme", "+79162104722").body("items", hasSize(1)).body("items[0].status", equalTo("answered"))
                .body("items[0].talk_seconds", equalTo(35)).body("items[0].called_number", equalTo("+74952901144"));
        Webhooks.zadarma(zd, end, "tampered").statusCode(401).body("errors[0].field", equalTo("Signature"));
        // Events without a call to track (a recording is ready) are acknowledged and not stored.
        Map<String, String> record = Map.of("event", "NOTIFY_RECORD", "pbx_call_id", "in_4c6b4f1e4b0a5c", "call_id_with_rec", "1.2");
        Webhooks.zadarma(zd, record, "").statusCode(200).body("status", equalTo("ignored"));
    }

    @Test
    void integrationsShowTheirSecretOnceAndWorkspacesSeeOnlyTheirOwn() {
        given().auth().oauth2(TestTokens.user("globex", "admin")).contentType(ContentType.JSON)
                .body("{\"name\": \"Globex PBX\", \"format\": \"generic\"}").when().post("/api/calltracking/integrations").then().statusCode(201)
                .body("secret", startsWith("whsec_")).body("webhook_url", startsWith(Webhooks.PUBLIC_BASE + "/webhooks/calls/generic/"));
        given().auth().oauth2(TestTokens.user("globex", "analyst")).when().get("/api/calltracking/integrations").then().statusCode(200)
                .body("items.name", hasItem("Globex PBX")).body("items[0].secret", equalTo(null));
        given().auth().oauth2(TestTokens.user("acme", "analyst")).when().get("/api/calltracking/integrations").then().statusCode(200)
                .body("items.name", org.hamcrest.Matchers.not(hasItem("Globex PBX")));
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON).body("{\"name\": \"No token\", \"format\": \"twilio\"}")
                .when().post("/api/calltracking/integrations").then().statusCode(400).body("errors[0].field", equalTo("secret"));
    }
}
