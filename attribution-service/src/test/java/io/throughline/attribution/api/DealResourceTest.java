package io.throughline.attribution.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_attribution_test"))
class DealResourceTest {

    private static ValidatableResponse put(String tenant, String crm, String id, String body) {
        return given().auth().oauth2(TestTokens.user(tenant, "admin")).contentType(ContentType.JSON).body(body)
                .when().put("/api/attribution/deals/" + crm + "/" + id).then();
    }

    private static String deal(String stage, String status, String updatedAt, String stages, String payments) {
        return "{\"title\": \"Sofa order\", \"stage\": \"" + stage + "\", \"status\": \"" + status + "\", \"amount\": 18500.00, \"currency\": \"RUB\","
                + " \"cost\": 9000, \"product_line\": \"sofas\", \"manager\": \"Olga\", \"created_at\": \"2026-11-20T09:00:00Z\", \"updated_at\": \""
                + updatedAt + "\", \"contact\": {\"crm_contact_id\": \"c-77\", \"emails\": [\"anna@mail.ru\"], \"visitor_id\": \"4f1c2a9b8e7d4c3b\"},"
                + " \"stage_history\": [" + stages + "], \"payments\": [" + payments + "]}";
    }

    private static final String NEW_LEAD = "{\"stage\": \"New lead\", \"entered_at\": \"2026-11-20T09:00:00Z\"}";
    private static final String INVOICE = "{\"stage\": \"Invoice sent\", \"entered_at\": \"2026-11-21T15:30:00Z\"}";
    private static final String WON = "{\"stage\": \"Paid in full\", \"entered_at\": \"2026-11-23T10:00:00Z\"}";
    private static final String PAYMENT_1 = "{\"id\": \"p-1\", \"amount\": 10000.00, \"paid_at\": \"2026-11-21T16:00:00Z\"}";
    private static final String PAYMENT_2 = "{\"id\": \"p-2\", \"amount\": 8500.50, \"paid_at\": \"2026-11-23T10:00:00Z\"}";
    private static final String REFUND = "{\"id\": \"r-1\", \"kind\": \"refund\", \"amount\": 500.50, \"paid_at\": \"2026-11-24T10:00:00Z\"}";

    @Test
    void outOfOrderAndRepeatedPutsConvergeToTheNewestStateWithEveryStageAndPayment() {
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON)
                .body("{\"mappings\": [{\"stage\": \"Invoice sent\", \"canonical\": \"invoice\"}, {\"stage\": \"Paid in full\", \"canonical\": \"paid\"}]}")
                .when().put("/api/attribution/stage-mappings/my-crm").then().statusCode(200);
        String newest = deal("Paid in full", "won", "2026-11-24T10:00:00Z", NEW_LEAD + ", " + INVOICE + ", " + WON, PAYMENT_1 + ", " + PAYMENT_2 + ", " + REFUND);
        String older = deal("Invoice sent", "open", "2026-11-21T15:30:00Z", NEW_LEAD + ", " + INVOICE, PAYMENT_1);
        // The newest state arrives first, then an older one, then the newest again.
        String id = put("acme", "my-crm", "1042", newest).statusCode(200).body("created", equalTo(true)).body("applied", equalTo(true))
                .extract().path("deal.id");
        put("acme", "my-crm", "1042", older).statusCode(200).body("created", equalTo(false)).body("applied", equalTo(false))
                .body("deal.status", equalTo("won"));
        put("acme", "my-crm", "1042", newest).statusCode(200).body("applied", equalTo(true));
        given().auth().oauth2(TestTokens.user("acme", "analyst")).when().get("/api/attribution/deals/" + id).then().statusCode(200)
                .body("status", equalTo("won")).body("stage", equalTo("Paid in full")).body("canonical_stage", equalTo("paid"))
                .body("amount", equalTo(18500.0f)).body("cost", equalTo(9000.0f)).body("paid", equalTo(18000.0f)).body("currency", equalTo("RUB"))
                .body("stage_history.stage", contains("New lead", "Invoice sent", "Paid in full"))
                .body("stage_history.canonical_stage", contains(null, "invoice", "paid"))
                .body("payments", hasSize(3)).body("payments.find { it.id == 'r-1' }.kind", equalTo("refund"))
                .body("contact.crm_contact_id", equalTo("c-77")).body("contact.visitor_id", equalTo("4f1c2a9b8e7d4c3b"));
    }

    @Test
    void theOtherOrderEndsInTheSameState() {
        put("acme", "my-crm", "2042", deal("Invoice sent", "open", "2026-11-21T15:30:00Z", NEW_LEAD + ", " + INVOICE, PAYMENT_1))
                .statusCode(200).body("deal.status", equalTo("open")).body("deal.paid", equalTo(10000.0f));
        put("acme", "my-crm", "2042", deal("Paid in full", "won", "2026-11-24T10:00:00Z", NEW_LEAD + ", " + INVOICE + ", " + WON,
                PAYMENT_1 + ", " + PAYMENT_2 + ", " + REFUND)).statusCode(200).body("applied", equalTo(true))
                .body("deal.status", equalTo("won")).body("deal.paid", equalTo(18000.0f)).body("deal.stage_history", hasSize(3));
    }

    @Test
    void badDealsAreA400NamingTheField() {
        put("acme", "my-crm", "bad", deal("x", "maybe", "2026-11-24T10:00:00Z", "", "")).statusCode(400).body("errors[0].field", equalTo("status"));
        put("acme", "my-crm", "bad", deal("x", "open", "yesterday", "", "")).statusCode(400).body("errors[0].field", equalTo("updated_at"));
        put("acme", "my-crm", "bad", deal("x", "open", "2026-11-24T10:00:00Z", "", "").replace("\"RUB\"", "\"RUBLES\"")).statusCode(400)
                .body("errors[0].field", equalTo("currency"));
        put("acme", "my-crm", "bad", deal("x", "open", "2026-11-24T10:00:00Z", "", "").replace("18500.00", "18500.001")).statusCode(400)
                .body("errors[0].field", equalTo("amount"));
        put("acme", "my-crm", "bad", deal("x", "open", "2026-11-24T10:00:00Z", "", "{\"id\": \"p\", \"amount\": -5, \"paid_at\": \"2026-11-24T10:00:00Z\"}"))
                .statusCode(400).body("errors[0].field", equalTo("payments[0].amount"));
        put("acme", "my-crm", "bad", deal("x", "open", "2026-11-24T10:00:00Z", "", "{\"id\": \"p\", \"amount\": 5, \"kind\": \"gift\", \"paid_at\": "
                + "\"2026-11-24T10:00:00Z\"}")).statusCode(400).body("errors[0].field", equalTo("payments[0].kind"));
        put("acme", "My CRM!", "bad", deal("x", "open", "2026-11-24T10:00:00Z", "", "")).statusCode(400).body("errors[0].field", equalTo("crm"));
        given().auth().oauth2(TestTokens.user("acme", "analyst")).contentType(ContentType.JSON).body(deal("x", "open", "2026-11-24T10:00:00Z", "", ""))
                .when().put("/api/attribution/deals/my-crm/analyst").then().statusCode(403);
    }

    @Test
    void workspacesNeverSeeEachOthersDealsEvenWithTheSameCrmIds() {
        String acme = put("acme", "shared-crm", "77", deal("Won", "won", "2026-11-24T10:00:00Z", "", PAYMENT_1)).statusCode(200)
                .extract().path("deal.id");
        String globex = put("globex", "shared-crm", "77", deal("Lost", "lost", "2026-11-24T10:00:00Z", "", "")).statusCode(200)
                .body("created", equalTo(true)).extract().path("deal.id");
        given().auth().oauth2(TestTokens.user("globex", "analyst")).when().get("/api/attribution/deals/" + acme).then().statusCode(404);
        given().auth().oauth2(TestTokens.user("globex", "analyst")).queryParam("crm", "shared-crm").when().get("/api/attribution/deals").then()
                .statusCode(200).body("items", hasSize(1)).body("items[0].id", equalTo(globex)).body("items[0].status", equalTo("lost"));
        given().auth().oauth2(TestTokens.user("acme", "analyst")).queryParam("crm", "shared-crm").queryParam("status", "won").when()
                .get("/api/attribution/deals").then().statusCode(200).body("items", hasSize(1)).body("items[0].paid", equalTo(10000.0f));
    }

    @Test
    void contactsAreLinkedAndPaymentsReportedInIdentityOnceEvenThroughAnOutage() throws InterruptedException {
        io.throughline.attribution.FakeIdentityService.down = true;
        put("acme", "relay-crm", "501", deal("Won", "won", "2026-11-24T10:00:00Z", "", PAYMENT_1 + ", " + REFUND)).statusCode(200);
        Thread.sleep(1500);
        org.junit.jupiter.api.Assertions.assertTrue(io.throughline.attribution.FakeIdentityService.PAYMENTS.stream()
                .noneMatch(p -> p.getPaymentId().startsWith("relay-crm:501:")), "nothing delivered while identity is down");
        io.throughline.attribution.FakeIdentityService.down = false;
        // The deal is retried with backoff (2 s after the first failure).
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(20);
        while (io.throughline.attribution.FakeIdentityService.PAYMENTS.stream().noneMatch(p -> p.getPaymentId().equals("relay-crm:501:p-1"))) {
            org.junit.jupiter.api.Assertions.assertTrue(java.time.Instant.now().isBefore(deadline), "the payment was not reported");
            Thread.sleep(100);
        }
        var link = io.throughline.attribution.FakeIdentityService.LINKS.stream().filter(l -> l.getSource().equals("crm:relay-crm")).findFirst().orElseThrow();
        org.junit.jupiter.api.Assertions.assertEquals("acme", link.getTenantId());
        org.junit.jupiter.api.Assertions.assertTrue(link.getIdentifiersList().stream().anyMatch(i -> i.getValue().equals("anna@mail.ru")));
        org.junit.jupiter.api.Assertions.assertTrue(link.getIdentifiersList().stream().anyMatch(i -> i.getValue().equals("c-77")));
        // The same deal again changes nothing: one link, one payment report, the refund never reported as a payment.
        put("acme", "relay-crm", "501", deal("Won", "won", "2026-11-24T10:00:00Z", "", PAYMENT_1 + ", " + REFUND)).statusCode(200);
        Thread.sleep(2500);
        org.junit.jupiter.api.Assertions.assertEquals(1, io.throughline.attribution.FakeIdentityService.LINKS.stream()
                .filter(l -> l.getSource().equals("crm:relay-crm")).count());
        org.junit.jupiter.api.Assertions.assertEquals(1, io.throughline.attribution.FakeIdentityService.PAYMENTS.stream()
                .filter(p -> p.getPaymentId().startsWith("relay-crm:501:")).count());
    }

    @Test
    void dealsWaitingForIdentityAreLinkedInBatches() throws InterruptedException {
        int before = io.throughline.attribution.FakeIdentityService.BATCH_LINKS.get();
        io.throughline.attribution.FakeIdentityService.down = true;
        for (int i = 0; i < 30; i++) {
            put("acme", "batch-crm", "b" + i, deal("Won", "won", "2026-11-24T10:00:00Z", "", PAYMENT_1).replace("anna@mail.ru", "batch" + i + "@mail.ru"))
                    .statusCode(200);
        }
        io.throughline.attribution.FakeIdentityService.down = false;
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
        while (io.throughline.attribution.FakeIdentityService.LINKS.stream().filter(l -> l.getSource().equals("crm:batch-crm")).count() < 30) {
            org.junit.jupiter.api.Assertions.assertTrue(java.time.Instant.now().isBefore(deadline), "the deals were not linked");
            Thread.sleep(100);
        }
        org.junit.jupiter.api.Assertions.assertTrue(io.throughline.attribution.FakeIdentityService.BATCH_LINKS.get() > before, "sent in BatchLink calls");
        org.junit.jupiter.api.Assertions.assertEquals(30, io.throughline.attribution.FakeIdentityService.LINKS.stream()
                .filter(l -> l.getSource().equals("crm:batch-crm")).map(l -> l.getEventId()).distinct().count(), "each deal linked once");
    }
}
