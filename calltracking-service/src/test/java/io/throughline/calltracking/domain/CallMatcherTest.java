package io.throughline.calltracking.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Hand-worked cases of matching a call time against a number's reservation history. */
class CallMatcherTest {

    private static final Duration SKEW = Duration.ofSeconds(90);

    private static Instant at(String hhmmss) {
        return Instant.parse("2026-11-24T" + hhmmss + "Z");
    }

    private static ReservationWindow window(String visitor, String assigned, String lastSeen, boolean shared) {
        return new ReservationWindow(UUID.randomUUID(), visitor, null, at(assigned), at(lastSeen), 180, shared);
    }

    @Test
    void oneReservationHoldingTheNumberAtTheCallGivesConfidenceOne() {
        // a: held 10:00:00 .. 10:05:00 + 3 min = 10:08:00; the call at 10:07:30 is inside.
        CallMatcher.Match m = CallMatcher.match(List.of(window("a", "10:00:00", "10:05:00", false)), at("10:07:30"), SKEW);
        assertEquals("a", m.chosen().visitorId());
        assertEquals(1.0, m.confidence());
        assertEquals(List.of(), m.alternates());
    }

    @Test
    void theHistoryNotTheCurrentHolderDecides() {
        // a held it until 10:08; b took it at 10:20. A webhook about a call at 10:07 arrives at 10:25: a.
        List<ReservationWindow> history = List.of(window("a", "10:00:00", "10:05:00", false), window("b", "10:20:00", "10:24:00", false));
        assertEquals("a", CallMatcher.match(history, at("10:07:00"), SKEW).chosen().visitorId());
        assertEquals("b", CallMatcher.match(history, at("10:21:00"), SKEW).chosen().visitorId());
    }

    @Test
    void aSkewedClockAtAHandOverKeepsBothWithTheInsideOneFirst() {
        // a held it until 10:08:00, b from 10:08:30. A call reported at 10:08:10 is inside neither window but within
        // the skew of both (0.5 each): the most recently active (b, last seen 10:12) wins with 0.5 / 1.0.
        List<ReservationWindow> history = List.of(window("a", "10:00:00", "10:05:00", false), window("b", "10:08:30", "10:12:00", false));
        CallMatcher.Match m = CallMatcher.match(history, at("10:08:10"), SKEW);
        assertEquals("b", m.chosen().visitorId());
        assertEquals(0.5, m.confidence());
        assertEquals("a", m.alternates().get(0).visitorId());
        // At 10:07:50 a is inside (1.0) and b only within the skew (0.5): a, with 1 / 1.5.
        CallMatcher.Match inside = CallMatcher.match(history, at("10:07:50"), SKEW);
        assertEquals("a", inside.chosen().visitorId());
        assertEquals(0.667, inside.confidence());
    }

    @Test
    void aSharedNumberGoesToTheMostRecentlyActiveWithALowerShare() {
        // Overflow reuse: a holds it (1.0), c shares it (0.75) and was seen last: c, 0.75 / 1.75 = 0.429.
        List<ReservationWindow> history = List.of(window("a", "10:00:00", "10:04:00", false), window("c", "10:02:00", "10:05:00", true));
        CallMatcher.Match m = CallMatcher.match(history, at("10:06:00"), SKEW);
        assertEquals("c", m.chosen().visitorId());
        assertEquals(0.429, m.confidence());
        assertEquals(List.of("a"), m.alternates().stream().map(ReservationWindow::visitorId).toList());
    }

    @Test
    void noWindowNearTheCallIsNoMatch() {
        assertNull(CallMatcher.match(List.of(window("a", "10:00:00", "10:05:00", false)), at("10:30:00"), SKEW));
        assertNull(CallMatcher.match(List.of(), at("10:30:00"), SKEW));
    }
}
