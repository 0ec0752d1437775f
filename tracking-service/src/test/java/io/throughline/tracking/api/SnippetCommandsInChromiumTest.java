package io.throughline.tracking.api;

import static io.throughline.tracking.api.BrowserFixtures.cookie;
import static io.throughline.tracking.api.BrowserFixtures.page;
import static io.throughline.tracking.api.BrowserFixtures.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.throughline.testkit.Browser;
import io.throughline.testkit.MongoWireTestStore;
import io.throughline.testkit.TestSites;
import io.throughline.tracking.TrackingFixtures;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/** t.js in Chromium: retries after refusals keep their event ids; the command API; forms that opted out. */
@QuarkusTest
@QuarkusTestResource(MongoWireTestStore.class)
class SnippetCommandsInChromiumTest {

    private static TestSites sites;

    @TestHTTPResource("/")
    URL collector;

    @Inject
    MongoClient mongo;

    @BeforeAll
    static void startSites() {
        sites = BrowserFixtures.sites();
    }

    @Test
    void refusedBatchesAreRetriedWithTheSameEventIds() throws Exception {
        var site = TrackingFixtures.site("retries", "retry.test");
        List<String> refused = new CopyOnWriteArrayList<>();
        AtomicInteger refusals = new AtomicInteger(2);
        // The collector answers the first two batches with 503 (as when its spool is full).
        sites.proxy("collect.test", collector.toString(), request -> request.startsWith("POST /collect") && refusals.getAndDecrement() > 0, refused);
        sites.site("retry.test", path -> page("Retry", BrowserFixtures.snippet(sites.url("collect.test", ""), site.key(), ""), "<p>x</p>"));
        try (Browser browser = Browser.person()) {
            ChromeDriver chrome = browser.driver();
            chrome.get(sites.url("retry.test", "/landing?utm_source=vk&utm_medium=cpc"));
            String visitor = waitFor(() -> cookie(chrome, "_tlv"), "the visitor cookie");
            List<Document> stored = waitFor(() -> hits(visitor).isEmpty() ? null : hits(visitor), "the page view after the retries");
            assertTrue(refused.size() >= 2, "two batches were refused");
            String eventId = stored.get(0).getString("event_id");
            assertTrue(refused.stream().allMatch(body -> body.contains(eventId)), "every attempt carried the same event id");
            assertEquals(1, hits(visitor).size(), "and it is stored once");
        }
    }

    @Test
    void theCommandApiIdentifiesAndCountsEventsAndIgnoredFormsStayUntracked() throws Exception {
        var site = TrackingFixtures.site("commands", "commands.test");
        sites.site("commands.test", path -> page("Commands", BrowserFixtures.snippet(collector.toString(), site.key(), ""), """
                <form id="search" data-tl-ignore action="/x" onsubmit="return false"><input name="email" type="email" value="private@mail.ru">
                <button id="go">Go</button></form>"""));
        try (Browser browser = Browser.person()) {
            ChromeDriver chrome = browser.driver();
            chrome.get(sites.url("commands.test", "/"));
            String visitor = waitFor(() -> cookie(chrome, "_tlv"), "the visitor cookie");
            chrome.findElement(org.openqa.selenium.By.id("go")).click();
            JavascriptExecutor js = chrome;
            js.executeScript("throughline('identify', {user_id: 42, email: 'olga.petrova@mail.ru'});"
                    + "throughline('event', 'video_play', {video: 'intro', seconds: 42});");
            waitFor(() -> hits(visitor).size() >= 3 ? "" : null, "the page view, the identify and the event");
            List<Document> hits = hits(visitor);
            assertEquals(List.of("pageview", "identify", "event"), hits.stream().map(h -> h.getString("type")).toList(),
                    "the ignored form sent no lead");
            Document event = hits.get(2);
            assertEquals("video_play", event.getString("name"));
            assertEquals(42L, ((Number) event.get("props", Document.class).get("seconds")).longValue());
            assertEquals("o***@mail.ru", hits.get(1).get("lead", Document.class).getString("email"));
        }
    }

    private MongoCollection<Document> hitsCollection() {
        return mongo.getDatabase("throughline_tracking").getCollection("hits");
    }

    private List<Document> hits(String visitor) {
        return hitsCollection().find(Filters.eq("visitor_id", visitor)).sort(Sorts.ascending("occurred_at", "seq")).into(new ArrayList<>());
    }
}
