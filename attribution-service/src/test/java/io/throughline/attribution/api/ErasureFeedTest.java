package io.throughline.attribution.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.throughline.attribution.FakeIdentityService;
import io.throughline.attribution.processing.ErasureFeed;
import io.throughline.contracts.identity.v1.IdentifierType;
import io.throughline.contracts.identity.v1.PendingErasure;
import io.throughline.contracts.identity.v1.ResolvedIdentifier;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_attribution_test"))
class ErasureFeedTest {

    @Inject
    ErasureFeed feed;

    private static String put(String tenant, String id, String contact) {
        return given().auth().oauth2(TestTokens.user(tenant, "admin")).contentType(ContentType.JSON).body("{\"title\": \"Order for Anna Petrova\","
                + " \"status\": \"won\", \"amount\": 900, \"currency\": \"RUB\", \"updated_at\": \"2026-11-20T10:00:00Z\", \"contact\": " + contact
                + ", \"payments\": [{\"id\": \"p\", \"amount\": 900, \"paid_at\": \"2026-11-20T10:00:00Z\"}]}").when()
                .put("/api/attribution/deals/my-crm/" + id).then().statusCode(200).extract().path("deal.id");
    }

    @Test
    void anErasedPersonsDealContactsAreWipedAndTheMoneyStays() {
        String byPhone = put("erase-a", "e-1", "{\"phones\": [\"8 (916) 777-12-34\"], \"crm_contact_id\": \"c-1\"}");
        String byEmail = put("erase-a", "e-2", "{\"emails\": [\"Anna.Petrova@Mail.ru\"]}");
        String someoneElse = put("erase-a", "e-3", "{\"emails\": [\"ivan@mail.ru\"]}");
        String otherWorkspace = put("erase-b", "e-1", "{\"emails\": [\"anna.petrova@mail.ru\"]}");
        FakeIdentityService.ERASURES.add(PendingErasure.newBuilder().setErasureId("er-1").setTenantId("erase-a").setPersonId("p-anna")
                .addIdentifiers(ResolvedIdentifier.newBuilder().setType(IdentifierType.IDENTIFIER_TYPE_PHONE).setValue("+79167771234"))
                .addIdentifiers(ResolvedIdentifier.newBuilder().setType(IdentifierType.IDENTIFIER_TYPE_EMAIL).setValue("anna.petrova@mail.ru"))
                .build());
        feed.processPending();
        assertEquals(2L, FakeIdentityService.CONFIRMED.get("er-1").getDeletedMap().get("deal_contacts"));
        for (String id : new String[] {byPhone, byEmail}) {
            given().auth().oauth2(TestTokens.user("erase-a", "analyst")).when().get("/api/attribution/deals/" + id).then().statusCode(200)
                    .body("contact.emails.size()", equalTo(0)).body("contact.phones.size()", equalTo(0)).body("title", nullValue())
                    .body("paid", equalTo(900.0f));
        }
        given().auth().oauth2(TestTokens.user("erase-a", "analyst")).when().get("/api/attribution/deals/" + someoneElse).then()
                .body("contact.emails[0]", equalTo("ivan@mail.ru"));
        given().auth().oauth2(TestTokens.user("erase-b", "analyst")).when().get("/api/attribution/deals/" + otherWorkspace).then()
                .body("contact.emails[0]", equalTo("anna.petrova@mail.ru"));
        assertEquals(0, feed.processPending(), "a confirmed erasure is not listed again");
    }
}
