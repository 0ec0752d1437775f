package io.throughline.identity.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_identity_test"))
class SettingsResourceTest {

    private static final String PATH = "/api/identity/settings";

    @Test
    void refusesAnonymousAndWrongRole() {
        given().when().get(PATH).then().statusCode(401);
        given().auth().oauth2(TestTokens.user("acme", "analyst")).contentType(ContentType.JSON)
                .body("{\"hub_threshold\": 5, \"role_mailboxes\": []}").when().put(PATH).then().statusCode(403);
        given().auth().oauth2(TestTokens.user("acme", "ingest")).when().get(PATH).then().statusCode(403);
    }

    @Test
    void aNewWorkspaceRunsOnTheDefaults() {
        given().auth().oauth2(TestTokens.user("fresh", "analyst")).when().get(PATH)
                .then().statusCode(200)
                .body("hub_threshold", equalTo(3))
                .body("role_mailboxes", hasItem("noreply"))
                .body("customized", equalTo(false));
    }

    @Test
    void adminChangesSettingsForOwnWorkspaceOnly() {
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON)
                .body("{\"hub_threshold\": 5, \"role_mailboxes\": [\"Sales@\", \" info \", \"sales\"]}")
                .when().put(PATH).then().statusCode(200)
                .body("hub_threshold", equalTo(5))
                .body("role_mailboxes", contains("info", "sales"))
                .body("customized", equalTo(true));
        given().auth().oauth2(TestTokens.user("acme", "analyst")).when().get(PATH)
                .then().statusCode(200).body("hub_threshold", equalTo(5));
        given().auth().oauth2(TestTokens.user("globex", "analyst")).when().get(PATH)
                .then().statusCode(200).body("hub_threshold", equalTo(3)).body("customized", equalTo(false));
    }

    @Test
    void namesTheInvalidField() {
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON)
                .body("{\"hub_threshold\": 0, \"role_mailboxes\": [\"info\"]}")
                .when().put(PATH).then().statusCode(400).body("errors[0].field", equalTo("hub_threshold"));
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON)
                .body("{\"hub_threshold\": 3, \"role_mailboxes\": [\"info\", \"bad mailbox!\"]}")
                .when().put(PATH).then().statusCode(400).body("errors[0].field", equalTo("role_mailboxes[1]"));
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON)
                .body("{\"hub_threshold\": \"many\", \"role_mailboxes\": []}")
                .when().put(PATH).then().statusCode(400).body("errors[0].field", equalTo("hub_threshold"));
    }
}
