package io.throughline.calltracking.calls;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.throughline.calltracking.domain.Signatures;
import io.throughline.testkit.TestTokens;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** Integrations and signed webhook calls, as a PBX would send them. */
final class Webhooks {

    static final String PUBLIC_BASE = "https://track.example.test";

    private Webhooks() {
    }

    /** Creates an integration; returns {id, secret}. */
    static String[] integration(String tenant, String name, String format, String secret) {
        var response = given().auth().oauth2(TestTokens.user(tenant, "admin")).contentType(ContentType.JSON)
                .body("{\"name\": \"" + name + "\", \"format\": \"" + format + "\"" + (secret == null ? "" : ", \"secret\": \"" + secret + "\"") + "}")
                .when().post("/api/calltracking/integrations").then().statusCode(201).extract();
        return new String[] {response.path("id"), secret == null ? response.path("secret") : secret};
    }

    static ValidatableResponse generic(String[] integration, String json) {
        String ts = String.valueOf(Instant.now().getEpochSecond());
        return given().contentType(ContentType.JSON).header("X-Timestamp", ts).header("X-Signature", Signatures.generic(integration[1], ts, json))
                .body(json).when().post("/webhooks/calls/generic/" + integration[0]).then();
    }

    static String call(String callId, String event, String from, String to, Instant startedAt, String extra) {
        return "{\"call_id\": \"" + callId + "\", \"event\": \"" + event + "\", \"direction\": \"inbound\", \"from\": \"" + from + "\", \"to\": \"" + to
                + "\", \"started_at\": \"" + startedAt + "\"" + (extra == null ? "" : ", " + extra) + "}";
    }

    static ValidatableResponse twilio(String[] integration, Map<String, String> params) {
        String path = "/webhooks/calls/twilio/" + integration[0];
        String signature = Signatures.twilio(integration[1], PUBLIC_BASE + path, new TreeMap<>(params));
        var request = given().contentType(ContentType.URLENC).header("X-Twilio-Signature", signature);
        params.forEach(request::formParam);
        return request.when().post(path).then();
    }

    static ValidatableResponse zadarma(String[] integration, Map<String, String> params, String signed) {
        var request = given().contentType(ContentType.URLENC).header("Signature", Signatures.zadarma(integration[1], signed));
        params.forEach(request::formParam);
        return request.when().post("/webhooks/calls/zadarma/" + integration[0]).then();
    }
}
