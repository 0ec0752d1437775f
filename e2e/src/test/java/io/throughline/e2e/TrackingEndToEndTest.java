package io.throughline.e2e;

import static io.restassured.RestAssured.given;
import static io.throughline.e2e.Eventually.waitFor;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.http.ContentType;
import io.throughline.contracts.identity.v1.ResolveResponse;
import io.throughline.devstack.SnippetProtocol;
import io.throughline.devstack.StackSettings;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A visit and a lead through the gateway's public /collect: stored as a session the workspace sees, linked to a
 * person in the real identity-service (through tracking's outbox, over gRPC with a Keycloak service token), and
 * gone from tracking when that person is erased.
 */
@ExtendWith(RunningStack.class)
class TrackingEndToEndTest {

    private static final String ORIGIN = "https://e2e-tracking.example";
    private static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private static Keycloak keycloak;
    private static IdentityProbe identity;

    @BeforeAll
    static void connect(StackSettings settings) {
        keycloak = new Keycloak(settings);
        identity = new IdentityProbe(settings, keycloak);
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        identity.close();
    }

    @Test
    void aLeadThroughTheGatewayBecomesASessionAndAPersonAndIsErasedWithThem() {
        String admin = keycloak.login("acme-admin");
        String siteKey = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\": \"E2E tracking\", \"domains\": [\"e2e-tracking.example\"], \"default_phone_region\": \"RU\"}")
                .when().post("/api/tracking/sites").then().statusCode(201).extract().path("public_key");
        given().header("Accept-Encoding", "identity").when().get("/t.js").then().statusCode(200)
                .header("Content-Type", containsString("javascript")).body(containsString("__throughline"));

        String visitor = UUID.randomUUID().toString().replace("-", "");
        Instant now = Instant.now().minusSeconds(5);
        String body = SnippetProtocol.batch(siteKey, visitor, List.of(
                SnippetProtocol.pageview(ORIGIN + "/?utm_source=yandex&utm_medium=cpc&utm_campaign=e2e&yclid=4242", "https://yandex.ru/", now),
                SnippetProtocol.lead(now.plusSeconds(2), "e2e.lead@mail.ru", "+7 916 555-01-42", 9000)));
        given().contentType("text/plain").header("Origin", ORIGIN).header("User-Agent", BROWSER).body(body).when().post("/collect").then().statusCode(200)
                .header("Access-Control-Allow-Origin", ORIGIN).body("accepted", equalTo(2));
        given().contentType("text/plain").header("Origin", "https://elsewhere.example").body(body).when().post("/collect")
                .then().statusCode(403);

        String analyst = keycloak.login("acme-analyst");
        given().auth().oauth2(analyst).queryParam("visitor_id", visitor).when().get("/api/tracking/sessions").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].channel", equalTo("paid_search"))
                .body("items[0].click_ids.yclid", equalTo("4242")).body("items[0].leads", equalTo(1));
        given().auth().oauth2(keycloak.login("globex-analyst")).queryParam("visitor_id", visitor).when().get("/api/tracking/sessions")
                .then().statusCode(200).body("items", hasSize(0));

        ResolveResponse person = waitFor(() -> {
            ResolveResponse r = resolve(visitor);
            return r.getFound() ? r : null;
        }, "identity-service to know the visitor");
        given().auth().oauth2(analyst).when().get("/api/identity/persons/" + person.getPersonId()).then().statusCode(200)
                .body("identifiers.value", hasItem(visitor)).body("identifiers.value", hasItem("e***@mail.ru"))
                .body("edges.source", hasItem("tracking"));

        String erasure = given().auth().oauth2(admin).when().delete("/api/identity/persons/" + person.getPersonId()).then()
                .statusCode(202).extract().path("erasure_id");
        waitFor(() -> "done".equals(given().auth().oauth2(admin).when().get("/api/identity/erasures/" + erasure).then().statusCode(200)
                .extract().path("services.find { it.service == 'tracking' }.status")) ? "" : null, "tracking to confirm the erasure");
        given().auth().oauth2(analyst).queryParam("visitor_id", visitor).when().get("/api/tracking/sessions").then().statusCode(200)
                .body("items", hasSize(0));
        given().auth().oauth2(analyst).queryParam("visitor_id", visitor).when().get("/api/tracking/hits").then().statusCode(200)
                .body("items", hasSize(0));
    }

    private static ResolveResponse resolve(String visitor) {
        return identity.resolveVisitor("acme", visitor);
    }
}
