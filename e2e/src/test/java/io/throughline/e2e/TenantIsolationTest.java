package io.throughline.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import io.restassured.http.ContentType;
import io.throughline.devstack.StackSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RunningStack.class)
class TenantIsolationTest {

    private static Keycloak keycloak;

    @BeforeAll
    static void keycloak(StackSettings settings) {
        keycloak = new Keycloak(settings);
    }

    @Test
    void oneWorkspacesSitesAreInvisibleToAnother() {
        String siteId = given().auth().oauth2(keycloak.login("acme-admin")).contentType(ContentType.JSON)
                .body("{\"name\": \"Acme secret launch\", \"domains\": [\"launch.acme.example\"], \"default_phone_region\": \"RU\"}")
                .when().post("/api/tracking/sites").then().statusCode(201).extract().path("id");

        String globex = keycloak.login("globex-analyst");
        given().auth().oauth2(globex).when().get("/api/tracking/sites").then().statusCode(200)
                .body("items.name", everyItem(not(equalTo("Acme secret launch"))));
        given().auth().oauth2(globex).when().get("/api/tracking/sites/" + siteId).then().statusCode(404);
        given().auth().oauth2(keycloak.login("acme-analyst")).when().get("/api/tracking/sites/" + siteId).then().statusCode(200);
    }

    @Test
    void oneWorkspacesCostsAreInvisibleToAnother() {
        given().auth().oauth2(keycloak.client("crm-acme", "dev-crm-acme-secret")).contentType(ContentType.JSON)
                .body("{\"rows\": [{\"day\": \"2025-03-01\", \"platform\": \"yandex_direct\", \"campaign\": \"brand\", \"cost\": 18500.00,"
                        + " \"currency\": \"RUB\"}]}")
                .when().post("/api/reporting/spend").then().statusCode(200);
        given().auth().oauth2(keycloak.login("acme-analyst")).when().get("/api/reporting/spend?from=2025-03-01&to=2025-03-01")
                .then().statusCode(200).body("items", hasSize(1)).body("items[0].cost", equalTo(18500.0f));
        given().auth().oauth2(keycloak.login("globex-analyst")).when().get("/api/reporting/spend?from=2025-03-01&to=2025-03-01")
                .then().statusCode(200).body("items", hasSize(0));
        given().auth().oauth2(keycloak.login("globex-analyst")).when().get("/api/reporting/reports/channels?from=2025-03-01&to=2025-03-01")
                .then().statusCode(200).body("items", hasSize(0)).body("totals.cost", equalTo(0.0f));
    }
}
