package io.throughline.e2e;

import static io.restassured.RestAssured.given;
import static io.throughline.e2e.Eventually.waitFor;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import io.throughline.contracts.identity.v1.PersonVerdict;
import io.throughline.devstack.SnippetProtocol;
import io.throughline.devstack.StackSettings;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A paid CRM deal through the gateway: its contact (with the visitor id the site's form passed to the CRM) becomes a
 * person in the real identity-service, and the payment makes that person a returning customer.
 */
@ExtendWith(RunningStack.class)
class DealsEndToEndTest {

    @Test
    void aPaidDealMakesItsContactAReturningCustomer(StackSettings settings) throws Exception {
        Keycloak keycloak = new Keycloak(settings);
        String visitor = "deal" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        given().auth().oauth2(keycloak.login("acme-admin")).contentType(ContentType.JSON).body("""
                {"title": "E2E order", "stage": "Paid", "status": "won", "amount": 12000.00, "currency": "RUB",
                 "updated_at": "2026-11-24T10:00:00Z",
                 "contact": {"crm_contact_id": "e2e-%s", "emails": ["%s@mail.ru"], "visitor_id": "%s"},
                 "payments": [{"id": "pay-1", "amount": 12000.00, "paid_at": "2026-11-24T10:00:00Z"}]}""".formatted(visitor, visitor, visitor))
                .when().put("/api/attribution/deals/e2e-crm/" + visitor).then().statusCode(200).body("deal.paid", equalTo(12000.0f));
        try (IdentityProbe identity = new IdentityProbe(settings, keycloak)) {
            waitFor(() -> identity.resolveVisitor("acme", visitor).getVerdict() == PersonVerdict.PERSON_VERDICT_RETURNING_CUSTOMER ? "" : null,
                    "identity-service to know the payer as a returning customer");
            waitFor(() -> identity.resolveVisitor("globex", visitor).getFound() ? null : "", "another workspace not to know the person");
        }
    }

    /**
     * The whole flow over real HTTP and gRPC: a paid-search visit and a form lead through /collect, a deal whose
     * contact is only the e-mail the form captured, then an attribution run: attribution-service resolves the person in
     * identity-service, reads their sessions from tracking-service and credits the payment to the ad campaign.
     */
    @Test
    void aPaymentIsCreditedToTheAdVisitThatBroughtThePayer(StackSettings settings) throws Exception {
        Keycloak keycloak = new Keycloak(settings);
        String admin = keycloak.login("acme-admin");
        String origin = "https://e2e-attribution.example";
        String siteKey = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\": \"E2E attribution\", \"domains\": [\"e2e-attribution.example\"], \"default_phone_region\": \"RU\"}")
                .when().post("/api/tracking/sites").then().statusCode(201).extract().path("public_key");
        String visitor = UUID.randomUUID().toString().replace("-", "");
        String email = "attr-" + visitor.substring(0, 12) + "@mail.ru";
        String campaign = "e2e-attr-" + visitor.substring(0, 8);
        java.time.Instant visit = java.time.Instant.now().minusSeconds(60);
        String body = SnippetProtocol.batch(siteKey, visitor, java.util.List.of(
                SnippetProtocol.pageview(origin + "/?utm_source=yandex&utm_medium=cpc&utm_campaign=" + campaign + "&yclid=5151", "https://yandex.ru/",
                        visit),
                SnippetProtocol.lead(visit.plusSeconds(5), email, "+7 916 555-02-43", 9000)));
        given().contentType("text/plain").header("Origin", origin).header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 "
                + "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36").body(body).when().post("/collect").then().statusCode(200);
        try (IdentityProbe identity = new IdentityProbe(settings, keycloak)) {
            waitFor(() -> identity.resolveVisitor("acme", visitor).getFound() ? "" : null, "identity-service to know the visitor and the e-mail");
        }
        String paidAt = java.time.Instant.now().minusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("""
                {"title": "E2E attributed order", "status": "won", "amount": 7000.00, "currency": "RUB", "cost": 2800.00,
                 "created_at": "%s", "updated_at": "%s", "contact": {"emails": ["%s"]},
                 "payments": [{"id": "pay-1", "amount": 7000.00, "paid_at": "%s"}]}""".formatted(paidAt, paidAt, email, paidAt))
                .when().put("/api/attribution/deals/e2e-crm/attr-" + visitor.substring(0, 12)).then().statusCode(200);

        String analyst = keycloak.login("acme-analyst");
        // position_based is not among the models the scheduled job keeps attributed, so no version of it can be running.
        String run = given().auth().oauth2(analyst).contentType(ContentType.JSON).body("{\"model\": \"position_based\"}").when()
                .post("/api/attribution/runs").then().statusCode(202).extract().path("id");
        waitFor(() -> "done".equals(given().auth().oauth2(analyst).when().get("/api/attribution/runs/" + run).then().statusCode(200)
                .extract().path("status")) ? "" : null, "the attribution run to finish");
        given().auth().oauth2(analyst).queryParam("group_by", "channel,source,campaign,has_click_id").when()
                .get("/api/attribution/runs/" + run + "/credits").then().statusCode(200)
                .body("rows.find { it.keys.campaign == '" + campaign + "' }.keys.channel", equalTo("paid_search"))
                .body("rows.find { it.keys.campaign == '" + campaign + "' }.keys.has_click_id", equalTo("true"))
                .body("rows.find { it.keys.campaign == '" + campaign + "' }.conversions", equalTo(1.0f))
                .body("rows.find { it.keys.campaign == '" + campaign + "' }.revenue", equalTo(7000.0f))
                .body("rows.find { it.keys.campaign == '" + campaign + "' }.gross_profit", equalTo(4200.0f));
        given().auth().oauth2(keycloak.login("globex-analyst")).when().get("/api/attribution/runs/" + run).then().statusCode(404);
    }
}
