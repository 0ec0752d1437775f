package io.throughline.e2e;

import static io.restassured.RestAssured.given;
import static io.throughline.e2e.Eventually.waitFor;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.throughline.devstack.SnippetProtocol;
import io.throughline.devstack.StackSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The second tier of the call-tracking end-to-end suite: recorded Twilio and Zadarma payloads (test resources,
 * the providers' field sets) replayed through the gateway, signed as the providers sign them, for calls to numbers
 * that /dni showed to visitors who came from an ad; each call must be matched to that visitor with its yclid.
 */
@ExtendWith(RunningStack.class)
class TelephonyReplayEndToEndTest {

    private static final String ORIGIN = "https://replay.example";
    private static Keycloak keycloak;
    private static StackSettings stack;
    private static String admin;
    private static String siteKey;

    @BeforeAll
    static void setUp(StackSettings settings) {
        keycloak = new Keycloak(settings);
        stack = settings;
        admin = keycloak.login("acme-admin");
        siteKey = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\": \"E2E replay\", \"domains\": [\"replay.example\"], \"default_phone_region\": \"RU\"}")
                .when().post("/api/tracking/sites").then().statusCode(201).extract().path("public_key");
        String pool = given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"name\": \"Replay pool\", \"site_key\": \"" + siteKey + "\"}")
                .when().post("/api/calltracking/pools").then().statusCode(201).extract().path("id");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"numbers\": [\"+7 495 204-41-01\", \"+7 495 204-41-02\"]}")
                .when().post("/api/calltracking/pools/" + pool + "/numbers").then().statusCode(201);
    }

    /** A paid visit collected and shown a number, as t.js does it; returns the number. */
    private static String visit(String visitor, String yclid) {
        Instant at = Instant.now().minusSeconds(180);
        String landing = ORIGIN + "/?utm_source=yandex&utm_medium=cpc&utm_campaign=replay&yclid=" + yclid;
        given().contentType("text/plain").header("Origin", ORIGIN)
                .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")
                .body(SnippetProtocol.batch(siteKey, visitor, List.of(SnippetProtocol.pageview(landing, "https://yandex.ru/", at))))
                .when().post("/collect").then().statusCode(200);
        return given().contentType("text/plain").header("Origin", ORIGIN)
                .body("{\"site\": \"" + siteKey + "\", \"visitor_id\": \"" + visitor + "\", \"page\": \"" + landing + "\", \"campaign\": "
                        + "{\"source\": \"yandex\", \"medium\": \"cpc\", \"campaign\": \"replay\"}, \"click_ids\": {\"yclid\": \"" + yclid + "\"}}")
                .when().post("/dni").then().statusCode(200).body("kind", equalTo("pool")).extract().path("number_e164");
    }

    private static String[] integration(String format, String secret) {
        String id = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\": \"Replay " + format + " " + UUID.randomUUID() + "\", \"format\": \"" + format + "\", \"secret\": \"" + secret + "\"}")
                .when().post("/api/calltracking/integrations").then().statusCode(201).extract().path("id");
        return new String[] {id, secret};
    }

    /** A recorded form payload with its placeholders filled, in file order. */
    private static Map<String, String> recorded(String name, Map<String, String> values) throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        try (InputStream in = TelephonyReplayEndToEndTest.class.getResourceAsStream("/replay/" + name)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String value = line.substring(line.indexOf('=') + 1);
                for (Map.Entry<String, String> v : values.entrySet()) {
                    value = value.replace("${" + v.getKey() + "}", v.getValue());
                }
                form.put(line.substring(0, line.indexOf('=')), value);
            }
        }
        return form;
    }

    private static JsonPath processedCall(String caller) {
        String analyst = keycloak.login("acme-analyst");
        return waitFor(() -> {
            JsonPath log = given().auth().oauth2(analyst).queryParam("caller", caller).when().get("/api/calltracking/calls").then().statusCode(200)
                    .extract().jsonPath();
            return !log.getList("items").isEmpty() && log.getBoolean("items[0].processed") ? log : null;
        }, "the call from " + caller + " to be processed");
    }

    @Test
    void aRecordedTwilioStatusCallbackIsVerifiedAndMatchedToTheVisitorShownTheNumber() throws IOException {
        String visitor = "replay-twilio-" + UUID.randomUUID().toString().substring(0, 8);
        String number = visit(visitor, "91001");
        String[] twilio = integration("twilio", "replay-twilio-auth-token-0123456789");
        Map<String, String> form = recorded("twilio-status-callback.form", Map.of("CALL_SID", "CA" + UUID.randomUUID().toString().replace("-", ""),
                "FROM", "+79165550201", "TO", number,
                "TIMESTAMP", DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.now().plusSeconds(65).truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC))));
        // (The recorded call ends 65 s from now after 61 s: it starts just after the visitor was shown the number.)
        String path = "/webhooks/calls/twilio/" + twilio[0];
        given().contentType(ContentType.URLENC).header("X-Twilio-Signature", WebhookSigning.twilio(twilio[1], stack.gatewayUrl() + path, form))
                .formParams(form).when().post(path).then().statusCode(200).contentType(startsWith("application/xml"));
        // The same payload signed for another address is refused (and not stored).
        given().contentType(ContentType.URLENC).header("X-Twilio-Signature", WebhookSigning.twilio(twilio[1], "https://elsewhere.example" + path, form))
                .formParams(form).when().post(path).then().statusCode(401);

        JsonPath call = processedCall("+79165550201");
        assertEquals(1, call.getList("items").size());
        assertEquals("reservation", call.getString("items[0].match_kind"));
        assertEquals(visitor, call.getString("items[0].visitor_id"));
        assertEquals("91001", call.getString("items[0].click_ids.yclid"));
        assertEquals("answered", call.getString("items[0].status"));
        assertEquals(47, call.getInt("items[0].talk_seconds"));
        assertEquals("paid_search", call.getString("items[0].channel"));
    }

    @Test
    void recordedZadarmaNotificationsMergeIntoOneMatchedCallEvenWhenRepeated() throws IOException {
        String visitor = "replay-zadarma-" + UUID.randomUUID().toString().substring(0, 8);
        String number = visit(visitor, "91002");
        String[] zadarma = integration("zadarma", "replay-zadarma-secret-0123456789");
        String start = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(Instant.now().atZone(ZoneId.of("Europe/Moscow")));
        Map<String, String> values = Map.of("CALL_START", start, "PBX_CALL_ID", "in_" + UUID.randomUUID().toString().replace("-", ""),
                "CALLER_ID", "79165550202", "CALLED_DID", number.substring(1));
        String path = "/webhooks/calls/zadarma/" + zadarma[0];
        String signature = WebhookSigning.zadarma(zadarma[1], "79165550202" + number.substring(1) + start);
        given().queryParam("zd_echo", "replay-check").when().get(path).then().statusCode(200).body(equalTo("replay-check"));
        given().contentType(ContentType.URLENC).header("Signature", signature).formParams(recorded("zadarma-notify-start.form", values))
                .when().post(path).then().statusCode(200).body("status", equalTo("created"));
        for (int i = 0; i < 2; i++) {
            given().contentType(ContentType.URLENC).header("Signature", signature).formParams(recorded("zadarma-notify-end.form", values))
                    .when().post(path).then().statusCode(200).body("status", equalTo("updated"));
        }
        JsonPath call = processedCall("+79165550202");
        assertEquals(1, call.getList("items").size());
        assertEquals(visitor, call.getString("items[0].visitor_id"));
        assertEquals("91002", call.getString("items[0].click_ids.yclid"));
        assertEquals("paid_search", call.getString("items[0].channel"));
        assertEquals(35, call.getInt("items[0].talk_seconds"));
        assertEquals(number, call.getString("items[0].called_number"));
    }
}
