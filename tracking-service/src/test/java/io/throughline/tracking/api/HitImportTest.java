package io.throughline.tracking.api;

import static io.restassured.RestAssured.given;
import static io.throughline.tracking.TrackingFixtures.id;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.throughline.testkit.MongoWireTestStore;
import io.throughline.testkit.TestTokens;
import io.throughline.tracking.TrackingFixtures;
import io.throughline.tracking.TrackingFixtures.TestSite;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /api/tracking/sites/{id}/hits/import: a year of history from a backfill, with /collect's rules but its own times. */
@QuarkusTest
@QuarkusTestResource(MongoWireTestStore.class)
class HitImportTest {

    private static final Instant MONTHS_AGO = Instant.now().minus(200, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    @Inject
    MongoClient mongo;

    private TestSite site;

    @BeforeEach
    void site() {
        site = TrackingFixtures.site("acme", "school.example.ru");
    }

    private MongoCollection<Document> collection(String name) {
        return mongo.getDatabase("throughline_tracking").getCollection(name);
    }

    private static ValidatableResponse post(String token, String siteId, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).when().post("/api/tracking/sites/" + siteId + "/hits/import").then();
    }

    private static String batch(String visitor, String... events) {
        return "{\"visitor_id\": \"" + visitor + "\", \"user_agent\": \"" + TrackingFixtures.BROWSER + "\", \"ip\": \"203.0.113.77\", \"events\": ["
                + String.join(",", events) + "]}";
    }

    private static String pageview(String id, Instant at, String url) {
        return "{\"event_id\": \"" + id + "\", \"type\": \"pageview\", \"ts\": \"" + at + "\", \"url\": \"" + url + "\", \"referrer\": \"https://yandex.ru/\"}";
    }

    private static String lead(String id, Instant at, String email, long fillMs) {
        return "{\"event_id\": \"" + id + "\", \"type\": \"lead\", \"ts\": \"" + at + "\", \"url\": \"https://school.example.ru/order\", \"form\": \"order\","
                + " \"fill_ms\": " + fillMs + ", \"fields\": {\"email\": \"" + email + "\", \"phone\": \"+7 916 555-40-40\"}}";
    }

    @Test
    void importsMonthsOldVisitsAsSessionsWithTheirOwnTimesCampaignAndLead() {
        String visitor = "hist-" + id().substring(0, 12);
        String landing = "https://school.example.ru/?utm_source=yandex&utm_medium=cpc&utm_campaign=generic_search&yclid=4242";
        String body = "{\"batches\": [" + batch(visitor, pageview(id(), MONTHS_AGO, landing), lead(id(), MONTHS_AGO.plusSeconds(300), "anna@mail.ru", 30_000),
                pageview(id(), MONTHS_AGO.plus(3, ChronoUnit.DAYS), "https://school.example.ru/")) + "]}";
        post(TestTokens.user("acme", "admin"), site.id(), body).statusCode(200)
                .body("accepted", equalTo(3)).body("rejected", equalTo(0)).body("queued", equalTo(false))
                .body("batches[0].visitor_id", equalTo(visitor)).body("batches[0].events.status", contains("accepted", "accepted", "accepted"));

        List<Document> sessions = collection("sessions").find(Filters.eq("visitor_id", visitor)).sort(new Document("started_at", 1)).into(new ArrayList<>());
        assertEquals(2, sessions.size(), "three days apart: two sessions");
        Document first = sessions.get(0);
        assertEquals(Date.from(MONTHS_AGO), first.getDate("started_at"));
        assertEquals("paid_search", first.getString("channel"));
        assertEquals("generic_search", first.get("campaign", Document.class).getString("campaign"));
        assertEquals(1, first.getInteger("leads"));
        assertFalse(first.getBoolean("excluded"), "an import carries no snippet proof, and is not a bot for it");
        Document hit = collection("hits").find(Filters.and(Filters.eq("visitor_id", visitor), Filters.eq("type", "lead"))).first();
        assertEquals("203.0.113.0", hit.getString("ip_prefix"));
        assertEquals(Date.from(MONTHS_AGO.plusSeconds(300)), hit.getDate("occurred_at"));
    }

    @Test
    void aRetriedImportStoresNothingTwiceAndJunkIsStillScored() {
        String visitor = "hist-" + id().substring(0, 12);
        String body = "{\"batches\": [" + batch(visitor, pageview(id(), MONTHS_AGO, "https://school.example.ru/?utm_source=vk&utm_medium=cpc"),
                lead(id(), MONTHS_AGO.plusSeconds(60), "bot@mail.ru", 400)) + "]}";
        post(TestTokens.user("acme", "ingest"), site.id(), body).statusCode(200).body("accepted", equalTo(2));
        post(TestTokens.user("acme", "ingest"), site.id(), body).statusCode(200).body("accepted", equalTo(0)).body("duplicates", equalTo(2));
        assertEquals(2, collection("hits").countDocuments(Filters.eq("visitor_id", visitor)));
        Document session = collection("sessions").find(Filters.eq("visitor_id", visitor)).first();
        assertTrue(session.getBoolean("excluded"), "a form filled in 0.4 s is a bot's, imported or not");
        assertTrue(session.getList("exclusion_reasons", String.class).contains("form_too_fast"), session.toJson());
    }

    @Test
    void refusesEventsOlderThanTheImportWindowOneByOneAndKeepsTheRest() {
        String visitor = "hist-" + id().substring(0, 12);
        String old = id();
        post(TestTokens.user("acme", "admin"), site.id(), "{\"batches\": [" + batch(visitor,
                pageview(old, Instant.now().minus(401, ChronoUnit.DAYS), "https://school.example.ru/"),
                pageview(id(), Instant.now().plus(1, ChronoUnit.HOURS), "https://school.example.ru/"),
                pageview(id(), MONTHS_AGO, "https://school.example.ru/")) + "]}").statusCode(200)
                .body("accepted", equalTo(1)).body("rejected", equalTo(2))
                .body("batches[0].events[0].field", equalTo("batches[0].events[0].ts"))
                .body("batches[0].events[0].reason", equalTo("is older than 400 days"))
                .body("batches[0].events[1].reason", equalTo("is in the future"));
    }

    @Test
    void aBadEnvelopeNamesItsFieldAndStoresNothing() {
        String visitor = "hist-" + id().substring(0, 12);
        post(TestTokens.user("acme", "admin"), site.id(), "{\"batches\": [" + batch(visitor, pageview(id(), MONTHS_AGO, "https://school.example.ru/"))
                + ", {\"visitor_id\": \"x\", \"events\": []}, {\"visitor_id\": \"fine-visitor-1\", \"ip\": \"my.host.example\", \"events\": ["
                + pageview(id(), MONTHS_AGO, "https://school.example.ru/") + "]}]}").statusCode(400)
                .body("errors.field", hasItem("batches[1].visitor_id")).body("errors.field", hasItem("batches[1].events"))
                .body("errors.field", hasItem("batches[2].ip"));
        assertEquals(0, collection("hits").countDocuments(Filters.eq("visitor_id", visitor)));
        post(TestTokens.user("acme", "admin"), site.id(), "{\"batches\": []}").statusCode(400).body("errors[0].field", equalTo("batches"));
        post(TestTokens.user("acme", "admin"), site.id(), "not json").statusCode(400).body("status", equalTo(400));
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append(batch("many-visitor-" + i, pageview(id(), MONTHS_AGO, "https://school.example.ru/")));
        }
        post(TestTokens.user("acme", "admin"), site.id(), "{\"batches\": [" + many + "]}").statusCode(413).body("errors[0].field", equalTo("batches"));
    }

    @Test
    void onlyTheSitesWorkspaceAdminsAndIngestClientsMayImport() {
        String body = "{\"batches\": [" + batch("iso-" + id().substring(0, 12), pageview(id(), MONTHS_AGO, "https://school.example.ru/")) + "]}";
        given().contentType(ContentType.JSON).body(body).when().post("/api/tracking/sites/" + site.id() + "/hits/import").then().statusCode(401);
        post(TestTokens.user("acme", "analyst"), site.id(), body).statusCode(403);
        post(TestTokens.user("globex", "admin"), site.id(), body).statusCode(404).body("status", equalTo(404));
        post(TestTokens.user("acme", "admin"), "not-a-uuid", body).statusCode(404);
        assertEquals(0, collection("hits").countDocuments(Filters.regex("visitor_id", "^iso-")));
    }
}
