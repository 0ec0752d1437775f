package io.throughline.attribution.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_attribution_test"))
class StageMappingResourceTest {

    private static final String AMO = """
            {"mappings": [{"stage": "Первичный контакт", "canonical": "lead"},
                          {"stage": "Оплачено", "canonical": "paid"},
                          {"stage": "Закрыто и не реализовано", "canonical": "lost"}]}""";

    @Test
    void refusesAnonymousAndWrongRole() {
        given().when().get("/api/attribution/stage-mappings").then().statusCode(401);
        given().auth().oauth2(TestTokens.user("acme", "analyst")).contentType(ContentType.JSON).body(AMO)
                .when().put("/api/attribution/stage-mappings/amocrm").then().statusCode(403);
    }

    @Test
    void replacesOneCrmsMappingAtomically() {
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON).body(AMO)
                .when().put("/api/attribution/stage-mappings/amocrm").then().statusCode(200).body("items", hasSize(3));
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON)
                .body("{\"mappings\": [{\"stage\": \"ОПЛАЧЕНО \", \"canonical\": \"paid\"}]}")
                .when().put("/api/attribution/stage-mappings/amocrm").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].stage", equalTo("ОПЛАЧЕНО"));
        given().auth().oauth2(TestTokens.user("acme", "analyst")).queryParam("crm", "amocrm")
                .when().get("/api/attribution/stage-mappings").then().statusCode(200).body("items", hasSize(1));
    }

    @Test
    void sameStageTwiceOrUnknownCanonicalIsNamed() {
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON)
                .body("{\"mappings\": [{\"stage\": \"Оплачено\", \"canonical\": \"paid\"}, {\"stage\": \" оплачено\", \"canonical\": \"won\"}]}")
                .when().put("/api/attribution/stage-mappings/amocrm").then().statusCode(400)
                .body("errors[0].field", equalTo("mappings[1].stage"));
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON)
                .body("{\"mappings\": [{\"stage\": \"Оплачено\", \"canonical\": \"cashed\"}]}")
                .when().put("/api/attribution/stage-mappings/amocrm").then().statusCode(400)
                .body("errors[0].field", equalTo("mappings[0].canonical"));
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON).body(AMO)
                .when().put("/api/attribution/stage-mappings/Amo CRM").then().statusCode(400)
                .body("errors[0].field", equalTo("crm"));
    }

    @Test
    void workspacesNeverSeeEachOthersMappings() {
        given().auth().oauth2(TestTokens.user("globex", "admin")).contentType(ContentType.JSON).body(AMO)
                .when().put("/api/attribution/stage-mappings/bitrix24").then().statusCode(200);
        given().auth().oauth2(TestTokens.user("initech", "analyst")).when().get("/api/attribution/stage-mappings")
                .then().statusCode(200).body("items", hasSize(0));
    }
}
