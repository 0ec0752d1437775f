package io.throughline.tracking;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.throughline.testkit.TestTokens;
import io.throughline.tracking.domain.JsProof;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Sites and /collect batches as the tests need them: registered through the API, posted as t.js posts them. */
public final class TrackingFixtures {

    public static final String BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    private TrackingFixtures() {
    }

    /** A registered site: its id and public key. */
    public record TestSite(String id, String key, String tenant) {
    }

    public static TestSite site(String tenant, String... domains) {
        String body = "{\"name\": \"Shop " + UUID.randomUUID() + "\", \"domains\": [\"" + String.join("\", \"", domains)
                + "\"], \"default_phone_region\": \"RU\"}";
        var created = given().auth().oauth2(TestTokens.user(tenant, "admin")).contentType(ContentType.JSON).body(body)
                .when().post("/api/tracking/sites").then().statusCode(201).extract();
        return new TestSite(created.path("id"), created.path("public_key"), tenant);
    }

    /** A batch as t.js builds it, with the snippet's proof; events are JSON objects. */
    public static String batch(String siteKey, String visitorId, String... events) {
        String sentAt = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        return "{\"site\": \"" + siteKey + "\", \"visitor_id\": \"" + visitorId + "\", \"sent_at\": \"" + sentAt + "\","
                + " \"ga_cookie\": \"GA1.2.1234567890.1732000000\", \"ym_uid\": \"1732000000123456789\","
                + " \"client\": {\"screen_width\": 1920, \"screen_height\": 1080, \"tz\": \"Europe/Moscow\", \"lang\": \"ru-RU\","
                + " \"webdriver\": false, \"proof\": \"" + JsProof.of(siteKey, visitorId, sentAt) + "\"},"
                + " \"events\": [" + String.join(",", events) + "]}";
    }

    public static String pageview(String id, String url, String referrer) {
        return "{\"event_id\": \"" + id + "\", \"type\": \"pageview\", \"ts\": \"" + now() + "\", \"url\": \"" + url + "\""
                + (referrer == null ? "" : ", \"referrer\": \"" + referrer + "\"") + ", \"title\": \"Page\"}";
    }

    public static String lead(String id, String email, String phone, long fillMs) {
        return "{\"event_id\": \"" + id + "\", \"type\": \"lead\", \"ts\": \"" + now() + "\", \"url\": \"https://shop.example.ru/contact\","
                + " \"form\": \"callback\", \"fill_ms\": " + fillMs + ", \"fields\": {\"email\": \"" + email + "\", \"phone\": \"" + phone
                + "\", \"name\": \"Ольга\"}}";
    }

    public static String id() {
        return UUID.randomUUID().toString();
    }

    public static List<String> ids(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(id());
        }
        return out;
    }

    /** Posts a batch as a page on {@code origin} would (text/plain, like sendBeacon). */
    public static ValidatableResponse post(String body, String origin) {
        var request = given().contentType("text/plain;charset=UTF-8").header("User-Agent", BROWSER).body(body);
        if (origin != null) {
            request.header("Origin", origin);
        }
        return request.when().post("/collect").then();
    }

    private static String now() {
        return Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
