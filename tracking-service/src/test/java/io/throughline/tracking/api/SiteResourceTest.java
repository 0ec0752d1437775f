package io.throughline.tracking.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.throughline.testkit.MongoWireTestStore;
import io.throughline.testkit.TestTokens;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(MongoWireTestStore.class)
class SiteResourceTest {

    private static final String SITE = """
            {"name": "Online school", "domains": ["https://School.Example.RU/", "пример.рф"],
             "default_phone_region": "RU", "consent_required": true}""";

    @Test
    void refusesCallsWithoutTokenWithProblemDetails() {
        given().when().get("/api/tracking/sites")
                .then().statusCode(401).contentType("application/problem+json").body("status", equalTo(401));
    }

    @Test
    void refusesTokensSignedByAnUnknownKey() {
        given().auth().oauth2(TestTokens.forged("acme", "admin")).when().get("/api/tracking/sites")
                .then().statusCode(401);
    }

    @Test
    void analystCannotRegisterSites() {
        given().auth().oauth2(TestTokens.user("acme", "analyst")).contentType(ContentType.JSON).body(SITE)
                .when().post("/api/tracking/sites")
                .then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void tokenWithoutWorkspaceIsForbidden() {
        given().auth().oauth2(TestTokens.withoutTenant("admin")).when().get("/api/tracking/sites")
                .then().statusCode(403).body("detail", equalTo("The token carries no workspace (tenant claim)"));
    }

    @Test
    void adminRegistersSiteWithNormalizedDomainsAndPublicKey() {
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON).body(SITE)
                .when().post("/api/tracking/sites")
                .then().statusCode(201)
                .body("public_key", startsWith("pk_"))
                .body("domains[0]", equalTo("school.example.ru"))
                .body("domains[1]", equalTo("xn--e1afmkfd.xn--p1ai"))
                .body("consent_required", equalTo(true))
                .body("snippet", startsWith("<script async src="));
    }

    @Test
    void namesEveryInvalidFieldInTheProblem() {
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON)
                .body("{\"name\": \"x\", \"domains\": [\"ok.ru\", \"not a host\"], \"default_phone_region\": \"ZZ\"}")
                .when().post("/api/tracking/sites")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("domains[1]"))
                .body("errors.field", hasItem("default_phone_region"));
    }

    @Test
    void malformedJsonIsABadRequestNotAServerError() {
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON).body("{\"name\": ")
                .when().post("/api/tracking/sites")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void missingFieldsAreNamedInSnakeCase() {
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON).body("{\"name\": \"x\"}")
                .when().post("/api/tracking/sites")
                .then().statusCode(400).body("errors.field", hasItem("default_phone_region")).body("errors.field", hasItem("domains"));
    }

    @Test
    void workspacesNeverSeeEachOthersSites() {
        String globexSite = given().auth().oauth2(TestTokens.user("globex", "admin")).contentType(ContentType.JSON)
                .body(SITE.replace("Online school", "Globex cleaning")).when().post("/api/tracking/sites")
                .then().statusCode(201).extract().path("id");

        given().auth().oauth2(TestTokens.user("acme", "analyst")).when().get("/api/tracking/sites")
                .then().statusCode(200).body("items.name", everyItem(not(equalTo("Globex cleaning"))));
        given().auth().oauth2(TestTokens.user("acme", "analyst")).when().get("/api/tracking/sites/" + globexSite)
                .then().statusCode(404);
        given().auth().oauth2(TestTokens.user("globex", "analyst")).when().get("/api/tracking/sites/" + globexSite)
                .then().statusCode(200).body("name", equalTo("Globex cleaning"));
    }

    @Test
    void pagesThroughSitesWithACursor() {
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(TestTokens.user("paged", "admin")).contentType(ContentType.JSON)
                    .body(SITE.replace("Online school", "Site " + i)).when().post("/api/tracking/sites").then().statusCode(201);
        }
        String cursor = given().auth().oauth2(TestTokens.user("paged", "analyst")).queryParam("limit", 2)
                .when().get("/api/tracking/sites").then().statusCode(200)
                .body("items.size()", equalTo(2)).extract().path("next_cursor");
        given().auth().oauth2(TestTokens.user("paged", "analyst")).queryParam("limit", 2).queryParam("cursor", cursor)
                .when().get("/api/tracking/sites").then().statusCode(200)
                .body("items.size()", equalTo(1)).body("items[0].name", equalTo("Site 2"));
        given().auth().oauth2(TestTokens.user("paged", "analyst")).queryParam("limit", 5000)
                .when().get("/api/tracking/sites").then().statusCode(400).body("errors[0].field", equalTo("limit"));
    }

    @Test
    void adminsChangeSettingsAndTheKeyStays() {
        var created = given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON).body(SITE)
                .when().post("/api/tracking/sites").then().statusCode(201).extract();
        String id = created.path("id");
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON).body("""
                {"name": "Online school 2", "domains": ["school.example.ru", "new.example.ru"], "default_phone_region": "KZ",
                 "consent_required": false, "session_timeout_minutes": 60, "min_form_fill_ms": 1500}""")
                .when().put("/api/tracking/sites/" + id).then().statusCode(200)
                .body("public_key", equalTo(created.path("public_key"))).body("domains[1]", equalTo("new.example.ru"))
                .body("session_timeout_minutes", equalTo(60)).body("min_form_fill_ms", equalTo(1500))
                .body("snippet", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("data-consent")));
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON)
                .body("{\"name\": \"x\", \"domains\": [\"a.ru\"], \"default_phone_region\": \"RU\", \"session_timeout_minutes\": 1}")
                .when().put("/api/tracking/sites/" + id).then().statusCode(400).body("errors[0].field", equalTo("session_timeout_minutes"));
        given().auth().oauth2(TestTokens.user("globex", "admin")).contentType(ContentType.JSON).body(SITE)
                .when().put("/api/tracking/sites/" + id).then().statusCode(404);
        given().auth().oauth2(TestTokens.user("acme", "analyst")).contentType(ContentType.JSON).body(SITE)
                .when().put("/api/tracking/sites/" + id).then().statusCode(403);
    }

    @Test
    void theSnippetOfAConsentSiteWaitsForConsent() {
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON).body(SITE)
                .when().post("/api/tracking/sites").then().statusCode(201)
                .body("snippet", org.hamcrest.Matchers.containsString("data-consent=\"required\""));
    }
}
