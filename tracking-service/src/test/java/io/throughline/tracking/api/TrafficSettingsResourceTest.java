package io.throughline.tracking.api;

import static io.restassured.RestAssured.given;
import static io.throughline.tracking.TrackingFixtures.batch;
import static io.throughline.tracking.TrackingFixtures.id;
import static io.throughline.tracking.TrackingFixtures.pageview;
import static io.throughline.tracking.TrackingFixtures.post;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.throughline.testkit.MongoWireTestStore;
import io.throughline.testkit.TestTokens;
import io.throughline.tracking.TrackingFixtures;
import org.junit.jupiter.api.Test;

/** Workspaces edit their channel rules and click-id registry; the collector classifies with them at once. */
@QuarkusTest
@QuarkusTestResource(MongoWireTestStore.class)
class TrafficSettingsResourceTest {

    private static final String RULES = """
            {"groups": {"search": {"hosts": ["google.*"], "sources": ["google"]}},
             "ignored_referrers": [],
             "rules": [{"channel": "partner_network", "source": ["cityads", "admitad"]},
                       {"channel": "search", "referrer_group": "search"},
                       {"channel": "other"}]}""";

    @Test
    void everyoneStartsWithTheShippedRules() {
        given().auth().oauth2(TestTokens.user("fresh", "analyst")).when().get("/api/tracking/channel-rules")
                .then().statusCode(200).header("Throughline-Settings-Origin", "default")
                .body("rules.channel", hasItems("paid_search", "paid_social", "organic_search", "direct"))
                .body("groups.search_engines.hosts", hasItem("yandex.*"));
        given().auth().oauth2(TestTokens.user("fresh", "analyst")).when().get("/api/tracking/click-ids")
                .then().statusCode(200).body("click_ids.param", hasItems("gclid", "yclid", "fbclid", "rb_clickid", "ttclid"))
                .body("campaign_aliases.from", equalTo("source"));
    }

    @Test
    void savedRulesClassifyNewVisitsAndCanBeReset() {
        String admin = TestTokens.user("rules-ws", "admin");
        var site = TrackingFixtures.site("rules-ws", "shop.example.ru");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(RULES).when().put("/api/tracking/channel-rules")
                .then().statusCode(200);
        given().auth().oauth2(admin).when().get("/api/tracking/channel-rules").then().statusCode(200)
                .header("Throughline-Settings-Origin", "workspace").body("rules[0].channel", equalTo("partner_network"));

        String visitor = "visitor-" + id();
        post(batch(site.key(), visitor, pageview(id(), "https://shop.example.ru/?utm_source=cityads&utm_medium=cpa", null)),
                "https://shop.example.ru").statusCode(200);
        given().auth().oauth2(TestTokens.user("rules-ws", "analyst")).queryParam("visitor_id", visitor).when().get("/api/tracking/sessions")
                .then().statusCode(200).body("items[0].channel", equalTo("partner_network"));

        given().auth().oauth2(admin).when().delete("/api/tracking/channel-rules").then().statusCode(204);
        given().auth().oauth2(admin).when().get("/api/tracking/channel-rules").then().header("Throughline-Settings-Origin", "default");
    }

    @Test
    void invalidRulesAreRefusedWithEveryProblemNamed() {
        String bad = """
                {"groups": {"search": {"hosts": ["not a host"]}},
                 "rules": [{"channel": "Paid", "medium_matches": "(["}, {"channel": "x", "source_group": "nope"}]}""";
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON).body(bad).when().put("/api/tracking/channel-rules")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("groups.search.hosts[0]", "rules[0].channel", "rules[0].medium_matches", "rules[1].source_group"));
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON)
                .body("{\"rules\": [{\"channel\": \"x\", \"meduim\": [\"cpc\"]}]}").when().put("/api/tracking/channel-rules")
                .then().statusCode(400).body("errors[0].field", equalTo("rules[0].meduim"));
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON).body("[1]").when().put("/api/tracking/channel-rules")
                .then().statusCode(400);
    }

    @Test
    void aWorkspaceAddsItsOwnClickId() {
        String admin = TestTokens.user("clicks-ws", "admin");
        var site = TrackingFixtures.site("clicks-ws", "shop.example.ru");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("""
                {"click_ids": [{"param": "yclid", "platform": "Yandex Direct", "source": "yandex", "medium": "cpc"},
                               {"param": "vkclid", "platform": "VK", "source": "vk", "medium": "cpc"}],
                 "campaign_aliases": {"ref": "source"}}""").when().put("/api/tracking/click-ids").then().statusCode(200);
        String visitor = "visitor-" + id();
        post(batch(site.key(), visitor, pageview(id(), "https://shop.example.ru/?vkclid=abc&gclid=zzz", null)), "https://shop.example.ru")
                .statusCode(200);
        given().auth().oauth2(admin).queryParam("visitor_id", visitor).when().get("/api/tracking/sessions").then().statusCode(200)
                .body("items[0].click_ids.vkclid", equalTo("abc")).body("items[0].params.gclid", equalTo("zzz"))
                .body("items[0].channel", equalTo("paid_social"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"click_ids\": [{\"param\": \"utm_source\", \"source\": \"x\", \"medium\": \"y\"}]}")
                .when().put("/api/tracking/click-ids").then().statusCode(400).body("errors[0].field", equalTo("click_ids[0].param"));
    }

    @Test
    void aDraftCanBeTriedOnAUrlFirst() {
        given().auth().oauth2(TestTokens.user("acme", "analyst")).contentType(ContentType.JSON)
                .body("{\"url\": \"https://shop.example.ru/?utm_source=admitad&utm_medium=cpa&yclid=1\", \"referrer\": \"https://yandex.ru/\"}")
                .when().post("/api/tracking/channel-rules/test").then().statusCode(200)
                .body("channel", equalTo("affiliates")).body("click_ids.yclid", equalTo("1")).body("kind", equalTo("TAGGED"));
        given().auth().oauth2(TestTokens.user("acme", "analyst")).contentType(ContentType.JSON)
                .body("{\"url\": \"https://shop.example.ru/?utm_source=admitad\", \"rules\": " + RULES + "}")
                .when().post("/api/tracking/channel-rules/test").then().statusCode(200).body("channel", equalTo("partner_network"));
        given().auth().oauth2(TestTokens.user("acme", "analyst")).contentType(ContentType.JSON).body("{\"url\": \"nope\"}")
                .when().post("/api/tracking/channel-rules/test").then().statusCode(400).body("errors[0].field", equalTo("url"));
    }

    @Test
    void onlyAdminsChangeRulesAndNobodyWithoutAToken() {
        given().when().get("/api/tracking/channel-rules").then().statusCode(401);
        given().auth().oauth2(TestTokens.user("acme", "analyst")).contentType(ContentType.JSON).body(RULES)
                .when().put("/api/tracking/channel-rules").then().statusCode(403);
        given().auth().oauth2(TestTokens.user("acme", "ingest")).when().get("/api/tracking/click-ids").then().statusCode(403);
    }
}
