package io.throughline.attribution.crm;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.throughline.attribution.FakeIdentityService;
import io.throughline.commons.webhook.WebhookSignature;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** CRM webhooks: generic signed JSON, amoCRM and Bitrix24 payloads built from their documentation. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_attribution_test"))
class CrmWebhookResourceTest {

    @TestHTTPResource("/")
    URL base;

    @jakarta.inject.Inject
    javax.sql.DataSource db;

    @jakarta.inject.Inject
    io.throughline.attribution.store.CrmIntegrations store;

    private String storedSecret(String id) throws java.sql.SQLException {
        return io.throughline.testkit.StoredValues.text(db, "SELECT secret FROM crm_integrations WHERE id = ?", java.util.UUID.fromString(id));
    }


    @Test
    void webhookSecretsAreSealedAtRestAndOnesStoredPlainBeforeAreSealedByTheNextPass() throws Exception {
        Map<String, String> i = integration("crm-sealed", "{\"name\": \"Sealed CRM\", \"format\": \"generic\", \"crm\": \"retailcrm\"}");
        String stored = storedSecret(i.get("id"));
        assertTrue(stored.startsWith("sealed:") && !stored.contains(i.get("secret")), "the column holds no plaintext");
        String deal = "{\"external_id\": \"S-1\", \"status\": \"open\", \"amount\": 100, \"currency\": \"RUB\", \"updated_at\": \"2026-11-20T10:00:00Z\"}";
        signed(i.get("id"), i.get("secret"), deal, Instant.now().getEpochSecond()).statusCode(200);

        // A secret written plain (before sealing) still verifies webhooks, and the reseal pass seals it.
        io.throughline.testkit.StoredValues.update(db, "UPDATE crm_integrations SET secret = ? WHERE id = ?", "legacy-plain-secret-0123456789",
                java.util.UUID.fromString(i.get("id")));
        signed(i.get("id"), "legacy-plain-secret-0123456789", deal, Instant.now().getEpochSecond()).statusCode(200);
        assertTrue(store.reseal() >= 1);
        String resealed = storedSecret(i.get("id"));
        assertTrue(resealed.startsWith("sealed:") && !resealed.contains("legacy-plain"), resealed);
        signed(i.get("id"), "legacy-plain-secret-0123456789", deal, Instant.now().getEpochSecond()).statusCode(200);
        org.junit.jupiter.api.Assertions.assertEquals(0, store.reseal(), "nothing left to seal");
        // Sealed for its workspace: another workspace's id does not open it.
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new io.throughline.commons.secrets.SecretBox("test:dGVzdC1vbmx5LWF0dHJpYnV0aW9uLXNlY3JldGtleSE=").openText("crm-other", resealed));
    }

    private static Map<String, String> integration(String tenant, String body) {
        ValidatableResponse created = given().auth().oauth2(TestTokens.user(tenant, "admin")).contentType(ContentType.JSON).body(body)
                .when().post("/api/attribution/integrations").then().statusCode(201);
        Map<String, String> out = new java.util.HashMap<>();
        out.put("id", created.extract().path("id"));
        out.put("url", created.extract().path("webhook_url"));
        out.put("secret", created.extract().path("secret"));
        return out;
    }

    static Map<String, String> form(String resource, Map<String, String> replace) {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = CrmWebhookResourceTest.class.getResourceAsStream(resource)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int eq = line.indexOf('=');
                String value = line.substring(eq + 1);
                for (var r : replace.entrySet()) {
                    value = value.replace(r.getKey(), r.getValue());
                }
                out.put(line.substring(0, eq), value);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static ValidatableResponse signed(String id, String secret, String body, long at) {
        String ts = String.valueOf(at);
        return given().contentType(ContentType.JSON).header("X-Timestamp", ts).header("X-Signature", WebhookSignature.sign(secret, ts, body))
                .body(body).when().post("/webhooks/crm/generic/" + id).then();
    }

    private static ValidatableResponse deals(String tenant, String crm) {
        return given().auth().oauth2(TestTokens.user(tenant, "analyst")).queryParam("crm", crm).when().get("/api/attribution/deals").then().statusCode(200);
    }

    private static void waitFor(Supplier<Boolean> condition, String what) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.get()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void genericWebhooksAreSignedAndConvergeWhateverTheOrder() {
        Map<String, String> i = integration("crm-generic", "{\"name\": \"RetailCRM\", \"format\": \"generic\", \"crm\": \"retailcrm\"}");
        String newer = "{\"external_id\": \"R-77\", \"status\": \"won\", \"amount\": 5000, \"currency\": \"RUB\", \"updated_at\": \"2026-11-22T10:00:00Z\","
                + " \"contact\": {\"emails\": [\"olga@mail.ru\"]}, \"payments\": [{\"id\": \"pay-1\", \"amount\": 5000, \"paid_at\": \"2026-11-22T10:00:00Z\"},"
                + " {\"id\": \"ref-1\", \"kind\": \"refund\", \"amount\": 1200, \"paid_at\": \"2026-11-23T10:00:00Z\"}]}";
        String older = "{\"external_id\": \"R-77\", \"status\": \"open\", \"amount\": 5000, \"currency\": \"RUB\", \"updated_at\": \"2026-11-20T10:00:00Z\"}";
        long now = Instant.now().getEpochSecond();
        signed(i.get("id"), i.get("secret"), newer, now).statusCode(200).body("status", equalTo("stored")).body("applied", equalTo(true));
        signed(i.get("id"), i.get("secret"), older, now).statusCode(200).body("applied", equalTo(false));
        signed(i.get("id"), i.get("secret"), newer, now).statusCode(200);
        deals("crm-generic", "retailcrm").body("items", hasSize(1)).body("items[0].status", equalTo("won")).body("items[0].paid", equalTo(3800.0f))
                .body("items[0].payments", hasSize(2));
        // Refused: another secret, a stale timestamp, no signature, no external id, a bad field, an unknown integration.
        signed(i.get("id"), "whsec_not-the-secret-at-all", newer, now).statusCode(401).body("errors[0].field", equalTo("X-Signature"));
        signed(i.get("id"), i.get("secret"), newer, now - 600).statusCode(401).body("errors[0].field", equalTo("X-Timestamp"));
        given().contentType(ContentType.JSON).body(newer).when().post("/webhooks/crm/generic/" + i.get("id")).then().statusCode(401);
        signed(i.get("id"), i.get("secret"), older.replace("\"external_id\": \"R-77\", ", ""), now).statusCode(400)
                .body("errors[0].field", equalTo("external_id"));
        signed(i.get("id"), i.get("secret"), older.replace("open", "maybe"), now).statusCode(400).body("errors[0].field", equalTo("status"));
        signed(i.get("id"), i.get("secret"), "[1, 2]", now).statusCode(400);
        signed("0190a8c2-0000-7000-8000-000000000000", i.get("secret"), newer, now).statusCode(404);
        given().contentType(ContentType.URLENC).formParam("a", "b").when().post("/webhooks/crm/amocrm/" + i.get("id") + "?token=x").then()
                .statusCode(404);
        // Another workspace sees nothing of it.
        deals("crm-generic-other", "retailcrm").body("items", hasSize(0));
    }

    @Test
    void amoCrmLeadsAndContactsMakeOneDealWhicheverArrivesFirst() {
        Map<String, String> i = integration("crm-amo", "{\"name\": \"amoCRM\", \"format\": \"amocrm\", \"account\": \"mystore\","
                + " \"visitor_field\": \"tl_visitor_id\"}");
        assertTrue(i.get("url").endsWith("/webhooks/crm/amocrm/" + i.get("id") + "?token=" + i.get("secret")), i.get("url"));
        String path = "/webhooks/crm/amocrm/" + i.get("id");
        given().contentType(ContentType.URLENC).formParams(form("/crm/amocrm-contact-add.txt", Map.of())).queryParam("token", i.get("secret"))
                .when().post(path).then().statusCode(200).body("contacts", equalTo(1));
        for (int repeat = 0; repeat < 2; repeat++) {
            given().contentType(ContentType.URLENC).formParams(form("/crm/amocrm-lead-status.txt", Map.of())).queryParam("token", i.get("secret"))
                    .when().post(path).then().statusCode(200).body("deals", equalTo(1));
        }
        deals("crm-amo", "amocrm").body("items", hasSize(1)).body("items[0].external_id", equalTo("25399013")).body("items[0].status", equalTo("won"))
                .body("items[0].stage", equalTo("142")).body("items[0].amount", equalTo(18500.0f)).body("items[0].paid", equalTo(18500.0f))
                .body("items[0].payments", hasSize(1)).body("items[0].manager", equalTo("3032419"))
                .body("items[0].created_at", equalTo("2026-11-20T09:00:00Z")).body("items[0].contact.crm_contact_id", equalTo("8813357"))
                .body("items[0].contact.phones", contains("+7 916 210-45-87")).body("items[0].contact.emails", contains("anna@mail.ru"))
                .body("items[0].contact.visitor_id", equalTo("amo-visitor-1"));
        waitFor(() -> FakeIdentityService.LINKS.stream().anyMatch(l -> l.getTenantId().equals("crm-amo") && l.getSource().equals("crm:amocrm")
                && l.getIdentifiersList().stream().anyMatch(id -> id.getValue().equals("anna@mail.ru"))), "the amoCRM contact linked in identity");
        // Refused: the wrong token, another account, a price that is not a number.
        given().contentType(ContentType.URLENC).formParams(form("/crm/amocrm-lead-status.txt", Map.of())).queryParam("token", "nope").when()
                .post(path).then().statusCode(401).body("errors[0].field", equalTo("token"));
        given().contentType(ContentType.URLENC).formParams(form("/crm/amocrm-lead-status.txt", Map.of("mystore", "otherstore")))
                .queryParam("token", i.get("secret")).when().post(path).then().statusCode(401).body("errors[0].field", equalTo("account[subdomain]"));
        given().contentType(ContentType.URLENC).formParams(form("/crm/amocrm-lead-status.txt", Map.of("18500", "a lot")))
                .queryParam("token", i.get("secret")).when().post(path).then().statusCode(400)
                .body("errors[0].field", equalTo("leads[status][0][price]"));
        // A price of a billion digits (it parses at once; rounding it would hold a worker thread for minutes).
        given().contentType(ContentType.URLENC).formParams(form("/crm/amocrm-lead-status.txt", Map.of("18500", "1e999999999")))
                .queryParam("token", i.get("secret")).when().post(path).then().statusCode(400)
                .body("errors[0].field", equalTo("leads[status][0][price]")).body("errors[0].message", containsString("out of range"));
    }

    @Test
    void bitrix24DealsAreReadFromThePortalAndWaitOutItsOutages() {
        String token = "bx-token-0123456789abcdef";
        Map<String, String> i = integration("crm-bitrix", "{\"name\": \"Bitrix24\", \"format\": \"bitrix24\", \"secret\": \"" + token + "\","
                + " \"account\": \"mystore.bitrix24.ru\", \"rest_url\": \"" + base + "test-bitrix24/rest/1/code1234/\","
                + " \"visitor_field\": \"UF_CRM_TL_VISITOR\"}");
        String path = "/webhooks/crm/bitrix24/" + i.get("id");
        FakeBitrix24Portal.down = true;
        int before = FakeBitrix24Portal.CALLS.get();
        given().contentType(ContentType.URLENC).formParams(form("/crm/bitrix24-deal-update.txt", Map.of("${TOKEN}", token))).when().post(path)
                .then().statusCode(200).body("status", equalTo("queued"));
        waitFor(() -> FakeBitrix24Portal.CALLS.get() > before, "the portal asked");
        deals("crm-bitrix", "bitrix24").body("items", hasSize(0));
        FakeBitrix24Portal.down = false;
        waitFor(() -> deals("crm-bitrix", "bitrix24").extract().path("items.size()").equals(1), "the deal read once the portal is back");
        deals("crm-bitrix", "bitrix24").body("items[0].external_id", equalTo("4215")).body("items[0].status", equalTo("won"))
                .body("items[0].stage", equalTo("WON")).body("items[0].amount", equalTo(120000.0f)).body("items[0].paid", equalTo(120000.0f))
                .body("items[0].payments[0].paid_at", equalTo("2026-11-22T15:00:00Z")).body("items[0].created_at", equalTo("2026-11-10T09:15:00Z"))
                .body("items[0].contact.crm_contact_id", equalTo("77")).body("items[0].contact.phones", contains("+7 (495) 123-45-67"))
                .body("items[0].contact.emails", contains("ivan@example.ru")).body("items[0].contact.visitor_id", equalTo("bx-visitor-1"));
        // Refused: another token or portal; other events are acknowledged and ignored.
        given().contentType(ContentType.URLENC).formParams(form("/crm/bitrix24-deal-update.txt", Map.of("${TOKEN}", "bx-token-wrong-000000000")))
                .when().post(path).then().statusCode(401).body("errors[0].field", equalTo("auth[application_token]"));
        given().contentType(ContentType.URLENC).formParams(form("/crm/bitrix24-deal-update.txt", Map.of("${TOKEN}", token, "mystore.", "evil.")))
                .when().post(path).then().statusCode(401).body("errors[0].field", equalTo("auth[domain]"));
        given().contentType(ContentType.URLENC).formParams(form("/crm/bitrix24-deal-update.txt", Map.of("${TOKEN}", token, "ONCRMDEALUPDATE",
                "ONCRMLEADADD"))).when().post(path).then().statusCode(200).body("status", equalTo("ignored"));
        // The integration list never shows secrets.
        given().auth().oauth2(TestTokens.user("crm-bitrix", "analyst")).when().get("/api/attribution/integrations").then().statusCode(200)
                .body("items[0].secret", equalTo(null)).body("items[0].format", equalTo("bitrix24"));
        assertTrue(i.get("secret") == null, "a secret the admin gave is not echoed");
    }

    @Test
    void badIntegrationsAreA400NamingTheField() {
        for (String[] c : new String[][] {{"{\"format\": \"generic\"}", "name"}, {"{\"name\": \"x\", \"format\": \"salesforce\"}", "format"},
                {"{\"name\": \"x\", \"format\": \"bitrix24\"}", "secret"}, {"{\"name\": \"x\", \"format\": \"bitrix24\", \"secret\": "
                + "\"0123456789abcdef\"}", "rest_url"}, {"{\"name\": \"x\", \"format\": \"generic\", \"currency\": \"RUBLES\"}", "currency"},
                {"{\"name\": \"x\", \"format\": \"generic\", \"crm\": \"My CRM\"}", "crm"}}) {
            given().auth().oauth2(TestTokens.user("crm-bad", "admin")).contentType(ContentType.JSON).body(c[0]).when()
                    .post("/api/attribution/integrations").then().statusCode(400).body("errors[0].field", equalTo(c[1]));
        }
        given().auth().oauth2(TestTokens.user("crm-bad", "analyst")).contentType(ContentType.JSON).body("{\"name\": \"x\", \"format\": \"generic\"}")
                .when().post("/api/attribution/integrations").then().statusCode(403);
    }
}
