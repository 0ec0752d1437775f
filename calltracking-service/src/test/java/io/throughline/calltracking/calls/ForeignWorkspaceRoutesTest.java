package io.throughline.calltracking.calls;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.http.Method;
import io.throughline.calltracking.FakeTrackingService;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OWASP API1 (broken object level authorization): every calltracking route that takes an id or a site key answers
 * another workspace's admin with a 404 problem, for reads and for writes alike, and the owner's objects are unchanged
 * afterwards. The same requests by the owner succeed, so each route and id is real.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_calltracking_test"))
class ForeignWorkspaceRoutesTest {

    private record Route(Method method, String path, String body) {
    }

    @Test
    void anotherWorkspacesIdsAreA404OnEveryRoute() {
        String owner = TestTokens.user("globex", "admin");
        String intruder = TestTokens.user("acme", "admin");
        String site = FakeTrackingService.GLOBEX_SITE;
        String pool = given().auth().oauth2(owner).contentType(ContentType.JSON).body("{\"name\": \"Globex BOLA pool\", \"site_key\": \"" + site + "\"}")
                .when().post("/api/calltracking/pools").then().statusCode(201).extract().path("id");
        given().auth().oauth2(owner).contentType(ContentType.JSON).body("{\"numbers\": [\"+7 495 600-77-01\"]}").when()
                .post("/api/calltracking/pools/" + pool + "/numbers").then().statusCode(201);
        String number = given().auth().oauth2(owner).contentType(ContentType.JSON).body("{\"site_key\": \"" + site + "\", \"number\": \"+7 495 600-77-02\","
                + " \"label\": \"Print\"}").when().post("/api/calltracking/numbers").then().statusCode(201).extract().path("id");
        String[] pbx = Webhooks.integration("globex", "PBX globex BOLA", "generic", null);
        Webhooks.generic(pbx, Webhooks.call("bola-1", "call.completed", "+79162107001", "+74956007702", Instant.now().minusSeconds(60),
                "\"status\": \"answered\""));
        String call = CallMatchingTest.processed("globex", "+79162107001").getString("items[0].id");

        String poolBody = "{\"name\": \"Renamed by acme\", \"site_key\": \"" + site + "\"}";
        String rules = given().auth().oauth2(owner).when().get("/api/calltracking/sites/" + site + "/call-rules").then().statusCode(200).extract().asString();
        List<Route> routes = List.of(
                new Route(Method.GET, "/api/calltracking/pools/" + pool, null),
                new Route(Method.PUT, "/api/calltracking/pools/" + pool, poolBody),
                new Route(Method.POST, "/api/calltracking/pools/" + pool + "/numbers", "{\"numbers\": [\"+7 495 600-77-09\"]}"),
                new Route(Method.GET, "/api/calltracking/pools/" + pool + "/report", null),
                new Route(Method.DELETE, "/api/calltracking/numbers/" + number, null),
                new Route(Method.GET, "/api/calltracking/calls/" + call, null),
                new Route(Method.GET, "/api/calltracking/sites/" + site + "/call-rules", null),
                new Route(Method.PUT, "/api/calltracking/sites/" + site + "/call-rules", rules));
        for (Route r : routes) {
            var request = given().auth().oauth2(intruder);
            if (r.body() != null) {
                request = request.contentType(ContentType.JSON).body(r.body());
            }
            request.when().request(r.method(), r.path()).then().statusCode(404).contentType("application/problem+json");
        }

        // Nothing changed for the owner; and the owner's own reads of the same ids succeed.
        given().auth().oauth2(owner).when().get("/api/calltracking/pools/" + pool).then().statusCode(200).body("name", equalTo("Globex BOLA pool"));
        given().auth().oauth2(owner).when().get("/api/calltracking/numbers").then().statusCode(200).body("items.id", hasItem(number));
        given().auth().oauth2(owner).when().get("/api/calltracking/calls/" + call).then().statusCode(200);
        given().auth().oauth2(owner).when().get("/api/calltracking/pools/" + pool + "/report").then().statusCode(200);
    }
}
