package io.throughline.e2e;

import static io.restassured.RestAssured.given;
import static io.throughline.e2e.Eventually.waitFor;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import io.throughline.contracts.identity.v1.PersonVerdict;
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
}
