package io.throughline.tracking.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.throughline.tracking.config.ShippedData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Session cutting over a visitor's hits in time order, as the store feeds them. */
class SessionizerTest {

    private static final ShippedData DATA = new ShippedData();
    private static final TrafficSources SOURCES = new TrafficSources(DATA.parameters(), ChannelClassifier.compile(DATA.channelRules()));
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    private final Sessionizer sessionizer = new Sessionizer(Duration.ofMinutes(30), 60);

    /** Feeds hits in order; returns each hit's session id. */
    private List<String> run(Object... steps) {
        List<String> sessions = new ArrayList<>();
        VisitorState state = null;
        for (int i = 0; i < steps.length; i += 3) {
            Instant at = T0.plus(Duration.ofMinutes((Integer) steps[i]));
            String url = (String) steps[i + 1];
            String referrer = (String) steps[i + 2];
            TrafficSource source = url == null ? null
                    : SOURCES.analyze(PageUrl.parse(url).orElseThrow(), referrer, List.of("shop.ru"));
            Sessionizer.Assignment a = sessionizer.assign("acme", "v1", state, "e" + i, at, source);
            state = a.next();
            sessions.add(a.sessionId());
        }
        return sessions;
    }

    @Test
    void hitsWithinThirtyMinutesStayInOneSession() {
        List<String> s = run(0, "https://shop.ru/?utm_source=yandex&utm_medium=cpc", null,
                10, "https://shop.ru/catalog", "https://shop.ru/",
                39, "https://shop.ru/cart", "https://shop.ru/catalog",
                40, null, null);
        assertEquals(1, s.stream().distinct().count());
    }

    @Test
    void thirtyOneMinutesOfSilenceStartsANewSession() {
        List<String> s = run(0, "https://shop.ru/", null, 31, "https://shop.ru/again", null);
        assertNotEquals(s.get(0), s.get(1));
    }

    @Test
    void exactlyThirtyMinutesIsStillTheSameSession() {
        List<String> s = run(0, "https://shop.ru/", null, 30, "https://shop.ru/b", "https://shop.ru/");
        assertEquals(s.get(0), s.get(1));
    }

    @Test
    void aNewCampaignStartsANewSessionEvenWithinTheTimeout() {
        List<String> s = run(0, "https://shop.ru/?utm_source=yandex&utm_medium=cpc&utm_campaign=brand", null,
                5, "https://shop.ru/?utm_source=vk&utm_medium=cpc", null,
                6, "https://shop.ru/?utm_source=vk&utm_medium=cpc", null);
        assertNotEquals(s.get(0), s.get(1));
        assertEquals(s.get(1), s.get(2));
    }

    @Test
    void aNewClickIdIsANewAdClick() {
        List<String> s = run(0, "https://shop.ru/?utm_source=yandex&utm_medium=cpc&yclid=1", null,
                3, "https://shop.ru/?utm_source=yandex&utm_medium=cpc&yclid=1", null,
                4, "https://shop.ru/?utm_source=yandex&utm_medium=cpc&yclid=2", null);
        assertEquals(s.get(0), s.get(1));
        assertNotEquals(s.get(1), s.get(2));
    }

    @Test
    void aSearchReferralCutsButInternalAndDirectNavigationDoNot() {
        List<String> s = run(0, "https://shop.ru/?utm_source=vk&utm_medium=cpc", null,
                2, "https://shop.ru/b", null,
                3, "https://shop.ru/c", "https://shop.ru/b",
                4, "https://shop.ru/", "https://www.google.com/");
        assertEquals(s.get(0), s.get(1));
        assertEquals(s.get(0), s.get(2));
        assertNotEquals(s.get(2), s.get(3));
    }

    @Test
    void eventsNeverCutByCampaign() {
        List<String> s = run(0, "https://shop.ru/?utm_source=vk&utm_medium=cpc", null, 1, null, null, 2, null, null);
        assertEquals(1, s.stream().distinct().count());
    }

    @Test
    void aLateHitOfTheCurrentSessionJoinsItAndLeavesTheStateAlone() {
        VisitorState state = sessionizer.assign("acme", "v1", null, "e1", T0, null).next();
        state = sessionizer.assign("acme", "v1", state, "e2", T0.plusSeconds(600), null).next();
        Sessionizer.Assignment late = sessionizer.assign("acme", "v1", state, "e0", T0.minusSeconds(60), null);
        assertEquals(state.sessionId(), late.sessionId());
        assertEquals(state, late.next());
    }

    @Test
    void aHitFromLongBeforeGetsASessionOfItsOwn() {
        VisitorState state = sessionizer.assign("acme", "v1", null, "e1", T0, null).next();
        Sessionizer.Assignment late = sessionizer.assign("acme", "v1", state, "e0", T0.minus(Duration.ofHours(5)), null);
        assertNotEquals(state.sessionId(), late.sessionId());
        assertTrue(late.opensSession());
        assertEquals(state, late.next());
    }

    @Test
    void sessionIdsAreDerivedFromTheOpeningHitSoReplaysAgree() {
        assertEquals(Sessionizer.sessionId("acme", "v1", "e1"), Sessionizer.sessionId("acme", "v1", "e1"));
        assertNotEquals(Sessionizer.sessionId("acme", "v1", "e1"), Sessionizer.sessionId("globex", "v1", "e1"));
    }

    @Test
    void moreThanSixtyHitsInAMinuteIsNotAPerson() {
        VisitorState state = null;
        boolean flagged = false;
        for (int i = 0; i < 61; i++) {
            Sessionizer.Assignment a = sessionizer.assign("acme", "v1", state, "e" + i, T0.plusMillis(i * 500L), null);
            flagged = a.rateExceeded();
            state = a.next();
        }
        assertTrue(flagged);
        Sessionizer.Assignment later = sessionizer.assign("acme", "v1", state, "x", T0.plusSeconds(200), null);
        assertFalse(later.rateExceeded());
    }
}
