package io.throughline.tracking.api;

import static io.throughline.tracking.api.BrowserFixtures.cookie;
import static io.throughline.tracking.api.BrowserFixtures.page;
import static io.throughline.tracking.api.BrowserFixtures.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.throughline.contracts.identity.v1.IdentifierType;
import io.throughline.testkit.Browser;
import io.throughline.testkit.MongoWireTestStore;
import io.throughline.testkit.TestSites;
import io.throughline.tracking.FakeIdentityService;
import io.throughline.tracking.TrackingFixtures;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/** t.js in a real headless Chromium: a paid landing, an SPA route, a form, a second domain, consent, and a bot. */
@QuarkusTest
@QuarkusTestResource(MongoWireTestStore.class)
class SnippetInChromiumTest {

    private static final String PASSWORD = "s3cret-Passw0rd";
    private static TestSites sites;

    @TestHTTPResource("/")
    URL collector;

    @Inject
    MongoClient mongo;

    private TrackingFixtures.TestSite site;

    @BeforeAll
    static void startSites() {
        sites = BrowserFixtures.sites();
    }

    @BeforeEach
    void registerSite() {
        site = TrackingFixtures.site("browser", "school.test", "pay.test");
        String snippet = BrowserFixtures.snippet(collector.toString(), site.key(), "%s");
        sites.site("school.test", path -> switch (path) {
            case "/landing", "/spa/courses" -> page("Школа", snippet.formatted(""), """
                    <a id="spa" href="/spa/courses" onclick="history.pushState({}, '', '/spa/courses'); return false;">Курсы</a>
                    <form id="callback" name="callback" action="/thanks" method="get">
                      <input name="email" type="email"><input name="phone" type="tel"><input name="name">
                      <input name="password" type="password"><input name="website" style="display:none" tabindex="-1">
                      <button type="submit" id="send">Отправить</button>
                    </form>""");
            case "/thanks" -> page("Спасибо", snippet.formatted(""), "<a id=\"pay\" href=\"" + sites.url("pay.test", "/checkout") + "\">Оплатить</a>");
            case "/consent" -> page("Cookies", snippet.formatted(" data-consent=\"required\""), "<p>Cookie banner</p>");
            default -> null;
        });
        sites.site("pay.test", path -> path.equals("/checkout") ? page("Оплата", snippet.formatted(""), "<p>Checkout</p>") : null);
    }

    @Test
    void aPaidVisitWithAnSpaRouteAFormAndASecondDomainIsOneSessionWithItsLead() throws Exception {
        try (Browser browser = Browser.person()) {
            ChromeDriver chrome = browser.driver();
            String landing = sites.url("school.test", "/landing?utm_source=yandex&utm_medium=cpc&utm_campaign=brand&yclid=8817&gclid=Cj0KCQ");
            chrome.get(landing);
            String visitor = waitFor(() -> cookie(chrome, "_tlv"), "the visitor cookie");
            chrome.findElement(By.id("spa")).click();
            chrome.findElement(By.name("email")).sendKeys("olga.petrova@mail.ru");
            chrome.findElement(By.name("phone")).sendKeys("8 (916) 555-12-34");
            chrome.findElement(By.name("name")).sendKeys("Ольга");
            chrome.findElement(By.name("password")).sendKeys(PASSWORD);
            Thread.sleep(3200);
            chrome.findElement(By.id("send")).click();
            waitFor(() -> chrome.getCurrentUrl().contains("/thanks") ? "" : null, "the thank-you page");
            chrome.findElement(By.id("pay")).click();
            waitFor(() -> chrome.getCurrentUrl().contains("pay.test") ? "" : null, "the payment domain");
            waitFor(() -> hits(visitor).stream().anyMatch(h -> h.getString("url").contains("pay.test")) ? "" : null, "the checkout page view");

            assertFalse(chrome.getCurrentUrl().contains("_tl="), "the linker parameter is removed from the address bar");
            assertEquals(visitor, cookie(chrome, "_tlv"), "the second domain adopted the visitor id");
            List<Document> hits = hits(visitor);
            assertTrue(hits.stream().allMatch(h -> !h.getBoolean("excluded")), "a person's visit is clean: " + reasons(hits));
            Document first = hits.get(0);
            assertEquals("pageview", first.getString("type"));
            Document source = first.get("source", Document.class);
            assertEquals("paid_search", source.getString("channel"));
            assertEquals(Map.of("source", "yandex", "medium", "cpc", "campaign", "brand"), source.get("campaign", Document.class));
            assertEquals(new Document("yclid", "8817").append("gclid", "Cj0KCQ"), source.get("click_ids", Document.class));
            assertTrue(hits.stream().anyMatch(h -> "/spa/courses".equals(h.getString("path")) && landing.equals(h.getString("referrer"))),
                    "the SPA route is a page view referred by the landing");
            Document lead = hits.stream().filter(h -> h.getString("type").equals("lead")).findFirst().orElseThrow();
            assertEquals(new Document("form", "callback").append("email", "o***@mail.ru").append("phone", "+7********34")
                    .append("named", true).append("fill_ms", lead.get("lead", Document.class).get("fill_ms")), lead.get("lead", Document.class));
            assertFalse(hits.stream().anyMatch(h -> h.toJson().contains(PASSWORD)), "the password field is never captured");

            Document session = sessions().find(Filters.eq("visitor_id", visitor)).first();
            assertEquals(1, sessions().countDocuments(Filters.eq("visitor_id", visitor)), () -> "one session across both domains: "
                    + hits.stream().map(h -> h.getString("type") + " " + h.getString("url") + " <- " + h.getString("referrer") + " @"
                    + h.get("occurred_at") + " " + h.getString("session_id") + " " + h.get("source")).toList());
            assertEquals("paid_search", session.getString("channel"));
            assertEquals(1, session.getInteger("leads"));

            waitFor(() -> FakeIdentityService.linksFor(lead.getString("event_id")).isEmpty() ? null : "", "the identity link");
            Map<IdentifierType, String> linked = new java.util.HashMap<>();
            FakeIdentityService.linksFor(lead.getString("event_id")).get(0).getIdentifiersList().forEach(i -> linked.put(i.getType(), i.getValue()));
            assertEquals(visitor, linked.get(IdentifierType.IDENTIFIER_TYPE_VISITOR_ID));
            assertEquals("olga.petrova@mail.ru", linked.get(IdentifierType.IDENTIFIER_TYPE_EMAIL));
            assertEquals("8 (916) 555-12-34", linked.get(IdentifierType.IDENTIFIER_TYPE_PHONE));
        }
    }

    @Test
    void aSiteThatRequiresConsentSendsNothingAndSetsNoCookieBeforeIt() throws Exception {
        try (Browser browser = Browser.person()) {
            ChromeDriver chrome = browser.driver();
            chrome.get(sites.url("school.test", "/consent"));
            Thread.sleep(2500);
            assertEquals(null, cookie(chrome, "_tlv"));
            assertEquals(0, hitsCollection().countDocuments(Filters.eq("site_id", site.id())));
            ((JavascriptExecutor) chrome).executeScript("throughline('consent', true)");
            String visitor = waitFor(() -> cookie(chrome, "_tlv"), "the cookie after consent");
            waitFor(() -> hits(visitor).isEmpty() ? null : "", "the page view after consent");
            assertEquals("/consent", hits(visitor).get(0).getString("path"));
        }
    }

    @Test
    void aHeadlessBrowserUnderAutomationIsStoredButFlagged() throws Exception {
        try (Browser browser = Browser.headless()) {
            ChromeDriver chrome = browser.driver();
            chrome.get(sites.url("school.test", "/landing?utm_source=vk&utm_medium=cpc"));
            String visitor = waitFor(() -> cookie(chrome, "_tlv"), "the visitor cookie");
            waitFor(() -> hits(visitor).isEmpty() ? null : "", "the page view");
            Document hit = hits(visitor).get(0);
            assertTrue(hit.getBoolean("excluded"));
            assertTrue(hit.getList("exclusion_reasons", String.class).contains("headless_marker"));
            assertTrue(waitFor(() -> sessions().find(Filters.eq("visitor_id", visitor)).first(), "the session").getBoolean("excluded"));
        }
    }

    private MongoCollection<Document> hitsCollection() {
        return mongo.getDatabase("throughline_tracking").getCollection("hits");
    }

    private MongoCollection<Document> sessions() {
        return mongo.getDatabase("throughline_tracking").getCollection("sessions");
    }

    private List<Document> hits(String visitor) {
        return hitsCollection().find(Filters.eq("visitor_id", visitor)).sort(Sorts.ascending("occurred_at", "seq")).into(new ArrayList<>());
    }

    private static List<Object> reasons(List<Document> hits) {
        return hits.stream().map(h -> (Object) h.get("exclusion_reasons")).toList();
    }
}
