package io.throughline.tracking.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.throughline.tracking.config.ShippedData;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Junk scoring: what is flagged, with which reason, and what is not. */
class JunkScoringTest {

    private static final ShippedData DATA = new ShippedData();
    private static final TrafficSources SOURCES = new TrafficSources(DATA.parameters(), ChannelClassifier.compile(DATA.channelRules()));
    private static final HitFactory HITS = new HitFactory(ua -> UserAgentFacts.of(ua, DATA.crawlers()::isCrawler), DATA.disposableEmailDomains());
    private static final Site SITE = new Site(UUID.randomUUID(), "acme", "pk_test", "Shop", List.of("shop.ru"), "RU", false,
            Instant.now(), 30, 3000);
    private static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private static final String SENT_AT = "2026-11-20T10:00:00Z";

    @Test
    void everyInstanceOfTheShippedCrawlerListIsACrawler() throws Exception {
        int checked = 0;
        List<String> missed = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("/tracking/crawler-user-agents.json")) {
            for (JsonNode crawler : new ObjectMapper().readTree(in)) {
                for (JsonNode instance : crawler.path("instances")) {
                    checked++;
                    if (!DATA.crawlers().isCrawler(instance.asText())) {
                        missed.add(instance.asText());
                    }
                }
            }
        }
        assertTrue(checked > 1000, "the list carries its examples");
        assertEquals(List.of(), missed);
    }

    @ParameterizedTest
    @ValueSource(strings = {CHROME,
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 YaBrowser/24.10.0.0 Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.6; rv:132.0) Gecko/20100101 Firefox/132.0",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"})
    void peoplesBrowsersAreNotCrawlers(String ua) {
        assertFalse(DATA.crawlers().isCrawler(ua));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots) | bot
            Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 | mobile
            Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 | tablet
            Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 Chrome/120 Safari/537.36 | tablet
            Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/130 Mobile Safari/537.36 | mobile
            Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 | tv
            Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131 Safari/537.36 | desktop
            curl/8.5.0 | bot
            """)
    void classifiesDevices(String ua, String device) {
        assertEquals(device, hit(ua, client(false, true), pageview()).deviceClass());
    }

    @Test
    void aPersonsPageViewIsClean() {
        Hit h = hit(CHROME, client(false, true), pageview());
        assertEquals(List.of(), h.reasons());
        assertEquals("direct", h.source().channel());
    }

    @Test
    void headlessBrowsersAndWebdriverAreFlagged() {
        assertTrue(hit(CHROME.replace("Chrome/", "HeadlessChrome/"), client(false, true), pageview()).reasons().contains(JunkReason.HEADLESS_MARKER));
        assertTrue(hit(CHROME, client(true, true), pageview()).reasons().contains(JunkReason.HEADLESS_MARKER));
    }

    @Test
    void aBatchWithoutTheSnippetsProofIsFlagged() {
        assertEquals(List.of(JunkReason.MISSING_JS_PROOF), hit(CHROME, client(false, false), pageview()).reasons());
        assertEquals(List.of(JunkReason.MISSING_JS_PROOF), hit(CHROME, null, pageview()).reasons());
    }

    @Test
    void crawlersAreFlaggedAsBots() {
        Hit h = hit("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", client(false, true), pageview());
        assertTrue(h.reasons().contains(JunkReason.CRAWLER_USER_AGENT));
        assertTrue(h.botFlagged());
    }

    @Test
    void aFilledHoneypotAndATooFastFormAreBotSignals() {
        Hit h = hit(CHROME, client(false, true), lead("olga@mail.ru", "+7 916 555-12-34", 900L, true));
        assertTrue(h.reasons().containsAll(List.of(JunkReason.HONEYPOT_FILLED, JunkReason.FORM_TOO_FAST)));
        assertTrue(h.botFlagged());
        assertEquals(List.of(), hit(CHROME, client(false, true), lead("olga@mail.ru", "+7 916 555-12-34", 12_000L, false)).reasons());
    }

    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            olga@mailinator.com | +7 916 555-12-34 | disposable_email
            ivan@sub.10minutemail.com | - | disposable_email
            not-an-email | - | invalid_email
            olga@mail.ru | 8 (912) 345-67-8 | invalid_phone
            olga@mail.ru | +7 123 456 78 90 | invalid_phone
            olga@mail.ru | +7 999 999 99 99 | placeholder_phone
            olga@mail.ru | 8 900 123-45-67 | placeholder_phone
            - | 12345 | invalid_phone
            """)
    void junkContactsAreFlaggedButAreNotBots(String email, String phone, String reason) {
        Hit h = hit(CHROME, client(false, true), lead(email, phone, 10_000L, false));
        assertEquals(List.of(reason), h.reasons().stream().map(JunkReason::code).toList());
        assertFalse(h.botFlagged());
        assertTrue(h.excluded());
    }

    @Test
    void realContactsAreCleanAndMasked() {
        Hit h = hit(CHROME, client(false, true), lead("Olga.Petrova@Mail.ru", "8 (912) 345-67-89", 10_000L, false));
        assertEquals(List.of(), h.reasons());
        assertEquals("O***@mail.ru", h.lead().email());
        assertEquals("+7********89", h.lead().phone());
    }

    @Test
    void identityHearsOnlyUsableIdentifiersAndNothingFromBots() {
        Hit clean = hit(CHROME, client(false, true), lead("olga@mail.ru", "+7 999 999 99 99", 10_000L, false));
        IdentityLink link = IdentityLink.of(clean, "RU");
        assertEquals(List.of(IdentityLink.Kind.VISITOR_ID, IdentityLink.Kind.EMAIL), link.identifiers().stream().map(IdentityLink.Identifier::kind).toList());
        Hit bot = hit(CHROME, client(true, true), lead("olga@mail.ru", "+7 916 555-12-34", 10_000L, false));
        assertEquals(null, IdentityLink.of(bot, "RU"));
        assertEquals(null, IdentityLink.of(hit(CHROME, client(false, true), pageview()), "RU"));
    }

    private static CollectedBatch.ClientInfo client(boolean webdriver, boolean proof) {
        return new CollectedBatch.ClientInfo(1920, 1080, "Europe/Moscow", "ru-RU", webdriver,
                proof ? JsProof.of("pk_test", "visitor-0001", SENT_AT) : "00000000");
    }

    private static CollectedBatch.Event pageview() {
        return new CollectedBatch.Event(UUID.randomUUID().toString(), EventType.PAGEVIEW, Instant.parse(SENT_AT), "https://shop.ru/", null, null,
                "Shop", null, null, null, false, null, Map.of());
    }

    private static CollectedBatch.Event lead(String email, String phone, Long fillMs, boolean honeypot) {
        return new CollectedBatch.Event(UUID.randomUUID().toString(), EventType.LEAD, Instant.parse(SENT_AT), "https://shop.ru/contact", null, null,
                null, "contact", new CollectedBatch.Contacts(email, phone, "Olga", null), fillMs, honeypot, null, Map.of());
    }

    private static Hit hit(String ua, CollectedBatch.ClientInfo client, CollectedBatch.Event event) {
        CollectedBatch batch = new CollectedBatch("pk_test", "visitor-0001", SENT_AT, null, null, client, List.of(event));
        return HITS.hits(SITE, batch, new HitFactory.RequestFacts(ua, "203.0.113.0", Instant.parse(SENT_AT)), SOURCES).get(0);
    }
}
