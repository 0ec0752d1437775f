package io.throughline.tracking.api;

import static io.restassured.RestAssured.given;
import static io.throughline.tracking.TrackingFixtures.batch;
import static io.throughline.tracking.TrackingFixtures.id;
import static io.throughline.tracking.TrackingFixtures.lead;
import static io.throughline.tracking.TrackingFixtures.pageview;
import static io.throughline.tracking.TrackingFixtures.post;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.throughline.testkit.MongoWireTestStore;
import io.throughline.testkit.TestTokens;
import io.throughline.tracking.TrackingFixtures;
import org.junit.jupiter.api.Test;

/** The hits and sessions explorer: filters, pages, CSV, masking, and one workspace at a time. */
@QuarkusTest
@QuarkusTestResource(MongoWireTestStore.class)
class ExplorerResourceTest {

    private static final String ORIGIN = "https://shop.example.ru";

    @Test
    void showsASessionWithItsHitsAndMaskedContacts() {
        var site = TrackingFixtures.site("explore", "shop.example.ru");
        String visitor = "visitor-" + id();
        post(batch(site.key(), visitor, pageview(id(), "https://shop.example.ru/?utm_source=vk&utm_medium=cpc&utm_campaign=oct", null),
                lead(id(), "olga.petrova@mail.ru", "8 (916) 555-12-34", 9000)), ORIGIN).statusCode(200);
        String analyst = TestTokens.user("explore", "analyst");
        String sessionId = given().auth().oauth2(analyst).queryParam("visitor_id", visitor).when().get("/api/tracking/sessions")
                .then().statusCode(200).body("items", hasSize(1)).body("items[0].channel", equalTo("paid_social"))
                .body("items[0].campaign.campaign", equalTo("oct")).body("items[0].leads", equalTo(1))
                .extract().path("items[0].id");
        given().auth().oauth2(analyst).when().get("/api/tracking/sessions/" + sessionId).then().statusCode(200)
                .body("hits", hasSize(2)).body("hits[0].type", equalTo("pageview")).body("hits[1].lead.email", equalTo("o***@mail.ru"))
                .body("hits[1].lead.phone", equalTo("+7********34")).body("hits[1].lead.named", equalTo(true))
                .body(org.hamcrest.Matchers.not(containsString("olga.petrova")));
        given().auth().oauth2(analyst).queryParam("visitor_id", visitor).queryParam("type", "lead").when().get("/api/tracking/hits")
                .then().statusCode(200).body("items", hasSize(1)).body("items[0].lead.form", equalTo("callback"));
    }

    @Test
    void pagesNewestFirstWithAStableCursor() {
        var site = TrackingFixtures.site("pages", "shop.example.ru");
        for (int i = 0; i < 5; i++) {
            post(batch(site.key(), "visitor-" + id(), pageview(id(), "https://shop.example.ru/p" + i, null)), ORIGIN).statusCode(200);
        }
        String analyst = TestTokens.user("pages", "analyst");
        String cursor = given().auth().oauth2(analyst).queryParam("limit", 3).when().get("/api/tracking/hits").then().statusCode(200)
                .body("items", hasSize(3)).body("items[0].url", equalTo("https://shop.example.ru/p4")).body("next_cursor", notNullValue())
                .extract().path("next_cursor");
        given().auth().oauth2(analyst).queryParam("limit", 3).queryParam("cursor", cursor).when().get("/api/tracking/hits").then()
                .statusCode(200).body("items", hasSize(2)).body("items[1].url", equalTo("https://shop.example.ru/p0"))
                .body("next_cursor", org.hamcrest.Matchers.nullValue());
        given().auth().oauth2(analyst).queryParam("cursor", "!!!").when().get("/api/tracking/hits").then().statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
    }

    @Test
    void filtersByExclusionTimeAndType() {
        var site = TrackingFixtures.site("filters", "shop.example.ru");
        post(batch(site.key(), "visitor-" + id(), pageview(id(), "https://shop.example.ru/", null)), ORIGIN).statusCode(200);
        String botBatch = "{\"site\": \"" + site.key() + "\", \"visitor_id\": \"visitor-bot-0001\", \"events\": ["
                + pageview(id(), "https://shop.example.ru/", null) + "]}";
        post(botBatch, ORIGIN).statusCode(200);
        String analyst = TestTokens.user("filters", "analyst");
        given().auth().oauth2(analyst).queryParam("excluded", true).when().get("/api/tracking/sessions").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].exclusion_reasons", everyItem(equalTo("missing_js_proof")));
        given().auth().oauth2(analyst).queryParam("excluded", false).when().get("/api/tracking/sessions").then().body("items", hasSize(1));
        given().auth().oauth2(analyst).queryParam("from", "2000-01-01").queryParam("to", "2000-01-02").when().get("/api/tracking/sessions")
                .then().statusCode(200).body("items", hasSize(0));
        given().auth().oauth2(analyst).queryParam("from", "yesterday").when().get("/api/tracking/sessions").then().statusCode(400)
                .body("errors[0].field", equalTo("from"));
        given().auth().oauth2(analyst).queryParam("type", "click").when().get("/api/tracking/hits").then().statusCode(400)
                .body("errors[0].field", equalTo("type"));
    }

    @Test
    void exportsAPageAsCsv() {
        var site = TrackingFixtures.site("csv", "shop.example.ru");
        post(batch(site.key(), "visitor-" + id(), pageview(id(), "https://shop.example.ru/?utm_source=yandex&utm_medium=cpc&utm_campaign=a,b", null)),
                ORIGIN).statusCode(200);
        given().auth().oauth2(TestTokens.user("csv", "analyst")).accept("text/csv").when().get("/api/tracking/sessions").then().statusCode(200)
                .contentType(containsString("text/csv")).body(containsString("id,site_id,visitor_id,started_at"))
                .body(containsString("paid_search,yandex,cpc,\"a,b\""));
        given().auth().oauth2(TestTokens.user("csv", "analyst")).queryParam("format", "csv").when().get("/api/tracking/hits").then()
                .statusCode(200).body(containsString("event_id,session_id"));
    }

    @Test
    void workspacesNeverSeeEachOthersTraffic() {
        var site = TrackingFixtures.site("acme", "shop.example.ru");
        String visitor = "visitor-" + id();
        post(batch(site.key(), visitor, pageview(id(), "https://shop.example.ru/", null)), ORIGIN).statusCode(200);
        String sessionId = given().auth().oauth2(TestTokens.user("acme", "analyst")).queryParam("visitor_id", visitor)
                .when().get("/api/tracking/sessions").then().statusCode(200).body("items", hasSize(1)).extract().path("items[0].id");
        given().auth().oauth2(TestTokens.user("globex", "analyst")).queryParam("visitor_id", visitor).when().get("/api/tracking/sessions")
                .then().statusCode(200).body("items", hasSize(0));
        given().auth().oauth2(TestTokens.user("globex", "analyst")).queryParam("visitor_id", visitor).when().get("/api/tracking/hits")
                .then().statusCode(200).body("items", hasSize(0));
        given().auth().oauth2(TestTokens.user("globex", "analyst")).when().get("/api/tracking/sessions/" + sessionId).then().statusCode(404);
    }

    @Test
    void needsAnAnalystOrAdminToken() {
        given().when().get("/api/tracking/hits").then().statusCode(401);
        given().auth().oauth2(TestTokens.user("acme", "audience-reader")).when().get("/api/tracking/sessions").then().statusCode(403);
    }
}
