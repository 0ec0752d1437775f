package io.throughline.attribution.runs;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.http.Method;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OWASP API1 (broken object level authorization): every attribution route that takes an id answers another
 * workspace's admin with a 404 problem, reads and writes alike (runs, credits, deals, audiences and their entries,
 * versions, members, export, feed credentials and pulls, CRM integrations, ad connections and their syncs and
 * conversions), and the owner's objects are unchanged afterwards.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_attribution_test"))
class ForeignWorkspaceRoutesTest {

    private record Route(Method method, String path, String contentType, String body) {
        static Route of(Method method, String path) {
            return new Route(method, path, null, null);
        }
    }

    @Test
    void anotherWorkspacesIdsAreA404OnEveryRoute() {
        String tenant = "bola-owner";
        String owner = TestTokens.user(tenant, "admin");
        String intruder = TestTokens.user("bola-intruder", "admin");
        RunFixtures.workspace(tenant);
        String run = RunFixtures.run(tenant, "{\"model\": \"linear\", \"cutoff\": \"2026-11-01T00:00:00Z\"}");
        String deal = given().auth().oauth2(owner).when().get("/api/attribution/deals?crm=my-crm").then().statusCode(200).extract().path("items[0].id");
        String audience = given().auth().oauth2(owner).contentType(ContentType.JSON).body("{\"name\": \"BOLA clients\", \"kind\": \"uploaded\"}").when()
                .post("/api/attribution/audiences").then().statusCode(201).extract().path("id");
        given().auth().oauth2(owner).contentType("text/csv").body("email,phone\nowner@mail.ru,\n").when().put("/api/attribution/audiences/" + audience
                + "/entries").then().statusCode(200);
        String integration = given().auth().oauth2(owner).contentType(ContentType.JSON).body("{\"name\": \"BOLA CRM\", \"format\": \"generic\"}").when()
                .post("/api/attribution/integrations").then().statusCode(201).extract().path("id");
        String connection = given().auth().oauth2(owner).contentType(ContentType.JSON).body("{\"platform\": \"meta\", \"name\": \"BOLA Meta\","
                + " \"base_url\": \"http://127.0.0.1:9/\", \"credentials\": {\"access_token\": \"owner-token\"}}").when().post("/api/attribution/ad-connections")
                .then().statusCode(201).extract().path("id");
        given().auth().oauth2(owner).contentType(ContentType.JSON).body("{\"remote_list\": \"23850001\"}").when()
                .put("/api/attribution/ad-connections/" + connection + "/syncs/" + audience).then().statusCode(200);

        List<Route> routes = List.of(
                Route.of(Method.GET, "/api/attribution/runs/" + run),
                Route.of(Method.GET, "/api/attribution/runs/" + run + "/credits?group_by=channel"),
                Route.of(Method.GET, "/api/attribution/deals/" + deal),
                Route.of(Method.GET, "/api/attribution/audiences/" + audience),
                new Route(Method.PUT, "/api/attribution/audiences/" + audience, "application/json", "{\"name\": \"Taken\", \"kind\": \"uploaded\"}"),
                new Route(Method.PUT, "/api/attribution/audiences/" + audience + "/entries", "text/csv", "email,phone\nintruder@mail.ru,\n"),
                Route.of(Method.GET, "/api/attribution/audiences/" + audience + "/versions"),
                Route.of(Method.GET, "/api/attribution/audiences/" + audience + "/members"),
                Route.of(Method.GET, "/api/attribution/audiences/" + audience + "/export?platform=google"),
                Route.of(Method.POST, "/api/attribution/audiences/" + audience + "/feed-credentials"),
                Route.of(Method.GET, "/api/attribution/audiences/" + audience + "/pulls"),
                Route.of(Method.GET, "/api/attribution/ad-connections/" + connection + "/conversions"),
                Route.of(Method.GET, "/api/attribution/ad-connections/" + connection + "/syncs"),
                new Route(Method.PUT, "/api/attribution/ad-connections/" + connection + "/syncs/" + audience, "application/json",
                        "{\"remote_list\": \"666\"}"),
                Route.of(Method.DELETE, "/api/attribution/ad-connections/" + connection + "/syncs/" + audience),
                Route.of(Method.DELETE, "/api/attribution/ad-connections/" + connection),
                Route.of(Method.DELETE, "/api/attribution/integrations/" + integration),
                Route.of(Method.DELETE, "/api/attribution/audiences/" + audience));
        for (Route r : routes) {
            var request = given().auth().oauth2(intruder);
            if (r.body() != null) {
                request = request.contentType(r.contentType()).body(r.body());
            }
            request.when().request(r.method(), r.path()).then().statusCode(404).contentType("application/problem+json");
        }

        // The owner's objects are as they were, and the owner's own requests on the same ids succeed.
        given().auth().oauth2(owner).when().get("/api/attribution/audiences/" + audience).then().statusCode(200).body("name", equalTo("BOLA clients"));
        given().auth().oauth2(owner).when().get("/api/attribution/audiences/" + audience + "/members").then().statusCode(200);
        given().auth().oauth2(owner).when().get("/api/attribution/ad-connections/" + connection + "/syncs").then().statusCode(200)
                .body("items[0].remote_list", equalTo("23850001"));
        given().auth().oauth2(owner).when().get("/api/attribution/integrations").then().statusCode(200).body("items.id", org.hamcrest.Matchers.hasItem(integration));
        given().auth().oauth2(owner).when().get("/api/attribution/runs/" + run + "/credits?group_by=channel").then().statusCode(200);
        given().auth().oauth2(owner).when().get("/api/attribution/deals/" + deal).then().statusCode(200);
    }
}
