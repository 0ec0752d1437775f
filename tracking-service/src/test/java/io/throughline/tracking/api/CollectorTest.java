package io.throughline.tracking.api;

import static io.restassured.RestAssured.given;
import static io.throughline.tracking.TrackingFixtures.batch;
import static io.throughline.tracking.TrackingFixtures.id;
import static io.throughline.tracking.TrackingFixtures.lead;
import static io.throughline.tracking.TrackingFixtures.pageview;
import static io.throughline.tracking.TrackingFixtures.post;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.throughline.testkit.MongoWireTestStore;
import io.throughline.tracking.TrackingFixtures;
import io.throughline.tracking.TrackingFixtures.TestSite;
import jakarta.inject.Inject;
import java.util.Collections;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /collect as browsers and misbehaving clients use it. */
@QuarkusTest
@QuarkusTestResource(MongoWireTestStore.class)
class CollectorTest {

    private static final String ORIGIN = "https://shop.example.ru";

    @Inject
    MongoClient mongo;

    private TestSite site;

    @BeforeEach
    void site() {
        site = TrackingFixtures.site("acme", "shop.example.ru", "pay.example.ru");
    }

    private MongoDatabase db() {
        return mongo.getDatabase("throughline_tracking");
    }

    @Test
    void storesAPaidVisitAsHitsAndOneSessionWithItsCampaignAndEveryClickId() {
        String visitor = "visitor-" + id();
        String landing = "https://shop.example.ru/?utm_source=yandex&utm_medium=cpc&utm_campaign=brand&utm_term=кофе&yclid=777&gclid=888";
        String first = id();
        String second = id();
        post(batch(site.key(), visitor, pageview(first, landing, "https://yandex.ru/"),
                pageview(second, "https://shop.example.ru/catalog", landing)), ORIGIN)
                .statusCode(200).header("Access-Control-Allow-Origin", ORIGIN)
                .body("accepted", equalTo(2)).body("queued", equalTo(false)).body("events.status", contains("accepted", "accepted"));

        List<Document> hits = db().getCollection("hits").find(Filters.eq("visitor_id", visitor)).into(new java.util.ArrayList<>());
        assertEquals(2, hits.size());
        Document session = db().getCollection("sessions").find(Filters.eq("visitor_id", visitor)).first();
        assertEquals("paid_search", session.getString("channel"));
        assertEquals("кофе", session.get("campaign", Document.class).getString("term"));
        assertEquals(new Document("yclid", "777").append("gclid", "888"), session.get("click_ids", Document.class));
        assertEquals(landing, session.getString("landing_page"));
        assertEquals(2, session.getInteger("pageviews"));
        assertFalse(session.getBoolean("excluded"));
        assertEquals(session.getString("_id"), hits.get(0).getString("session_id"));
        assertEquals(session.getString("_id"), hits.get(1).getString("session_id"));
    }

    @Test
    void aRetriedBatchStoresNothingTwice() {
        String visitor = "visitor-" + id();
        String body = batch(site.key(), visitor, pageview(id(), "https://shop.example.ru/", null), lead(id(), "olga@mail.ru", "+79165551234", 9000));
        post(body, ORIGIN).statusCode(200).body("accepted", equalTo(2));
        post(body, ORIGIN).statusCode(200).body("accepted", equalTo(0)).body("duplicates", equalTo(2))
                .body("events.status", contains("duplicate", "duplicate"));
        assertEquals(2, db().getCollection("hits").countDocuments(Filters.eq("visitor_id", visitor)));
        Document session = db().getCollection("sessions").find(Filters.eq("visitor_id", visitor)).first();
        assertEquals(2, session.getInteger("hits"));
        assertEquals(1, session.getInteger("leads"));
    }

    @Test
    void concurrentCopiesOfOneBatchCountOnce() throws Exception {
        String visitor = "visitor-" + id();
        String body = batch(site.key(), visitor, pageview(id(), "https://shop.example.ru/?utm_source=vk&utm_medium=cpc", null),
                lead(id(), "olga@mail.ru", "+79165551234", 9000));
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Integer>> accepted = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                accepted.add(clients.submit(() -> post(body, ORIGIN).statusCode(200).extract().<Integer>path("accepted")));
            }
            int total = 0;
            for (var a : accepted) {
                total += a.get();
            }
            assertEquals(2, total, "each event accepted once, a duplicate everywhere else");
        } finally {
            clients.shutdownNow();
        }
        assertEquals(2, db().getCollection("hits").countDocuments(Filters.eq("visitor_id", visitor)));
        Document session = db().getCollection("sessions").find(Filters.eq("visitor_id", visitor)).first();
        assertEquals(1, db().getCollection("sessions").countDocuments(Filters.eq("visitor_id", visitor)));
        assertEquals(2, session.getInteger("hits"));
        assertEquals(1, session.getInteger("leads"));
        assertEquals("paid_social", session.getString("channel"));
    }

    @Test
    void rejectsBadEventsWithReasonsAndKeepsTheRest() {
        String good = id();
        post(batch(site.key(), "visitor-" + id(), pageview(good, "https://shop.example.ru/", null),
                "{\"event_id\": \"not-a-uuid\", \"type\": \"pageview\"}",
                "{\"event_id\": \"" + id() + "\", \"type\": \"pageview\", \"ts\": \"2020-01-01T00:00:00Z\", \"url\": \"https://shop.example.ru/\"}"),
                ORIGIN).statusCode(200)
                .body("accepted", equalTo(1)).body("rejected", equalTo(2))
                .body("events[1].field", equalTo("events[1].event_id")).body("events[1].reason", equalTo("must be a UUID"))
                .body("events[2].field", equalTo("events[2].ts")).body("events[0].field", nullValue());
    }

    @Test
    void unicodeSurvivesTheRoundTrip() {
        String visitor = "visitor-" + id();
        String event = "{\"event_id\": \"" + id() + "\", \"type\": \"event\", \"ts\": \"" + java.time.Instant.now().minusSeconds(1)
                + "\", \"url\": \"https://shop.example.ru/корзина\", \"name\": \"добавил в корзину\","
                + " \"props\": {\"товар\": \"Кофе «Арабика» ☕\", \"цена\": 1250.5, \"акция\": true}}";
        post(batch(site.key(), visitor, event), ORIGIN).statusCode(200).body("accepted", equalTo(1));
        Document hit = db().getCollection("hits").find(Filters.eq("visitor_id", visitor)).first();
        assertEquals("добавил в корзину", hit.getString("name"));
        assertEquals("Кофе «Арабика» ☕", hit.get("props", Document.class).getString("товар"));
    }

    @Test
    void malformedJsonIsABadRequestWithProblemDetails() {
        post("{\"site\": \"" + site.key() + "\", \"events\": [", ORIGIN).statusCode(400)
                .contentType("application/problem+json").body("type", equalTo("https://throughline.io/problems/malformed-body"));
        post("", ORIGIN).statusCode(400).contentType("application/problem+json");
        post("[1, 2]", ORIGIN).statusCode(400).contentType("application/problem+json");
    }

    @Test
    void aBatchOverSixtyFourKilobytesIsRefused() {
        String big = batch(site.key(), "visitor-" + id(), pageview(id(), "https://shop.example.ru/?q=" + "x".repeat(4000), null));
        String body = big.replace("\"events\": [", "\"padding\": \"" + "p".repeat(66_000) + "\", \"events\": [");
        post(body, ORIGIN).statusCode(413).contentType("application/problem+json");
    }

    @Test
    void fiftyOneEventsAreTooManyAndTheProblemNamesTheField() {
        String[] events = Collections.nCopies(51, pageview(id(), "https://shop.example.ru/", null)).toArray(String[]::new);
        post(batch(site.key(), "visitor-" + id(), events), ORIGIN).statusCode(413)
                .contentType("application/problem+json").body("errors[0].field", equalTo("events"));
    }

    @Test
    void aMissingVisitorIsNamed() {
        post("{\"site\": \"" + site.key() + "\", \"events\": [{}]}", ORIGIN).statusCode(400)
                .body("errors.field", hasItem("visitor_id"));
    }

    @Test
    void anUnknownSiteKeyIsForbidden() {
        post(batch("pk_doesnotexist0000000", "visitor-" + id(), pageview(id(), "https://shop.example.ru/", null)), ORIGIN)
                .statusCode(403).contentType("application/problem+json").body("errors[0].field", equalTo("site"));
    }

    @Test
    void pagesOnOtherOriginsMayNotSendEvents() {
        String body = batch(site.key(), "visitor-" + id(), pageview(id(), "https://shop.example.ru/", null));
        post(body, "https://evil.example.com").statusCode(403).header("Access-Control-Allow-Origin", nullValue())
                .body("type", equalTo("https://throughline.io/problems/origin-not-allowed"));
        post(batch(site.key(), "visitor-" + id(), pageview(id(), "https://www.pay.example.ru/", null)), "https://www.pay.example.ru")
                .statusCode(200).header("Access-Control-Allow-Origin", "https://www.pay.example.ru");
    }

    @Test
    void onlyJsonAndPlainTextAreAccepted() {
        given().contentType("application/x-www-form-urlencoded").body("site=x").when().post("/collect")
                .then().statusCode(415).contentType("application/problem+json");
        given().contentType("application/json").header("Origin", ORIGIN)
                .body(batch(site.key(), "visitor-" + id(), pageview(id(), "https://shop.example.ru/", null)))
                .when().post("/collect").then().statusCode(200);
    }

    @Test
    void answersPreflightsForRegisteredSitesOnly() {
        given().header("Origin", ORIGIN).header("Access-Control-Request-Method", "POST").when().options("/collect")
                .then().statusCode(204).header("Access-Control-Allow-Origin", ORIGIN).header("Access-Control-Allow-Headers", "Content-Type");
        given().header("Origin", "https://evil.example.com").header("Access-Control-Request-Method", "POST").when().options("/collect")
                .then().statusCode(403);
    }

    @Test
    void servesTheSnippetItsSiteSettings() {
        given().header("Origin", ORIGIN).queryParam("site", site.key()).when().get("/collect")
                .then().statusCode(200).header("Access-Control-Allow-Origin", ORIGIN)
                .body("consent_required", equalTo(false)).body("domains", contains("shop.example.ru", "pay.example.ru"));
        given().queryParam("site", "pk_unknownunknownunknow").when().get("/collect").then().statusCode(404);
        given().queryParam("site", "x").when().get("/collect").then().statusCode(400);
    }

    @Test
    void limitsEachClientAddress() throws Exception {
        String body = batch(site.key(), "visitor-" + id(), pageview(id(), "https://shop.example.ru/", null));
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(16);
        List<io.restassured.response.Response> limited = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try {
            List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
            for (int i = 0; i < 300; i++) {
                sent.add(clients.submit(() -> {
                    io.restassured.response.Response r = given().contentType("text/plain").header("Origin", ORIGIN)
                            .header("X-Forwarded-For", "198.51.100.77").body(body).when().post("/collect");
                    if (r.statusCode() == 429) {
                        limited.add(r);
                    }
                }));
            }
            for (var f : sent) {
                f.get();
            }
        } finally {
            clients.shutdownNow();
        }
        assertTrue(!limited.isEmpty(), "a burst of 300 from one address is limited");
        io.restassured.response.Response first = limited.get(0);
        assertTrue(Integer.parseInt(first.getHeader("Retry-After")) >= 1);
        assertEquals("application/problem+json", first.getContentType());
        assertEquals("https://throughline.io/problems/rate-limited", first.path("type"));
        given().contentType("text/plain").header("Origin", ORIGIN).header("X-Forwarded-For", "198.51.100.78").body(body)
                .when().post("/collect").then().statusCode(200);
    }

    @Test
    void keepsOnlyTheClientsNetworkNotItsAddress() {
        String visitor = "visitor-" + id();
        given().contentType("text/plain").header("Origin", ORIGIN).header("X-Forwarded-For", "203.0.113.45")
                .body(batch(site.key(), visitor, pageview(id(), "https://shop.example.ru/", null))).when().post("/collect")
                .then().statusCode(200);
        assertEquals("203.0.113.0", db().getCollection("hits").find(Filters.eq("visitor_id", visitor)).first().getString("ip_prefix"));
    }

    @Test
    void otherMethodsAreNotAllowed() {
        given().when().delete("/collect").then().statusCode(405).contentType("application/problem+json");
    }
}
