package io.throughline.calltracking.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-worked verdicts under the default rules (target 30 s, abandoned under 15 s, 5 calls an hour, burst of 3). */
class CallQualityTest {

    private static final CallQuality.History NEW = new CallQuality.History(0, 0, 0);
    private static final CallEvent.Direction IN = CallEvent.Direction.INBOUND;

    private static CallQuality.Verdict judge(String raw, String e164, CallStatus status, Integer talk, Integer duration, CallQuality.History h,
            CallRules rules) {
        return CallQuality.judge(IN, raw, e164, status, talk, duration, h, rules);
    }

    @Test
    void anAnsweredCallWithEnoughTalkFromANewCallerIsAFirstTimeTarget() {
        CallQuality.Verdict v = judge("+79161234501", "+79161234501", CallStatus.ANSWERED, 31, 40, NEW, CallRules.DEFAULTS);
        assertTrue(v.target());
        assertTrue(v.firstTime());
        assertFalse(v.missed());
        assertFalse(v.excluded());
        assertFalse(judge("+79161234501", "+79161234501", CallStatus.ANSWERED, 29, 40, NEW, CallRules.DEFAULTS).target(), "29 s < 30 s");
    }

    @Test
    void aRepeatCallerIsNotFirstTimeButCanStillBeATarget() {
        CallQuality.Verdict v = judge("+79161234502", "+79161234502", CallStatus.ANSWERED, 120, 130, new CallQuality.History(2, 1, 0),
                CallRules.DEFAULTS);
        assertFalse(v.firstTime());
        assertTrue(v.target());
    }

    @Test
    void unansweredCallsAreMissedAndShortOnesAbandoned() {
        CallQuality.Verdict shortOne = judge("+79161234503", "+79161234503", CallStatus.NO_ANSWER, 0, 9, NEW, CallRules.DEFAULTS);
        assertTrue(shortOne.missed());
        assertTrue(shortOne.abandoned());
        CallQuality.Verdict longOne = judge("+79161234503", "+79161234503", CallStatus.BUSY, 0, 25, NEW, CallRules.DEFAULTS);
        assertTrue(longOne.missed());
        assertFalse(longOne.abandoned(), "25 s of ringing is not abandoned");
    }

    @Test
    void spamIsKeptButExcludedWithItsReasons() {
        assertEquals(List.of("withheld_number"), judge("anonymous", null, CallStatus.ANSWERED, 200, 210, NEW, CallRules.DEFAULTS).exclusionReasons());
        CallRules blocking = new CallRules(30, 30, 15, 1440, 5, 3, 90, List.of("+79161234504"));
        CallQuality.Verdict blocked = judge("+79161234504", "+79161234504", CallStatus.ANSWERED, 200, 210, NEW, blocking);
        assertEquals(List.of("blocklisted"), blocked.exclusionReasons());
        assertFalse(blocked.target(), "an excluded call is never a target");
        // The sixth call within an hour (5 before it).
        assertEquals(List.of("too_many_calls"), judge("+79161234505", "+79161234505", CallStatus.ANSWERED, 40, 50,
                new CallQuality.History(5, 5, 0), CallRules.DEFAULTS).exclusionReasons());
        // The third answered call under 5 s to this number within 10 minutes.
        assertEquals(List.of("zero_talk_burst"), judge("+79161234506", "+79161234506", CallStatus.ANSWERED, 2, 4,
                new CallQuality.History(0, 0, 2), CallRules.DEFAULTS).exclusionReasons());
        assertFalse(judge("+79161234506", "+79161234506", CallStatus.ANSWERED, 2, 4, new CallQuality.History(0, 0, 1), CallRules.DEFAULTS).excluded());
    }

    @Test
    void outboundCallsAreNeitherTargetsNorMissesNorSpam() {
        CallQuality.Verdict v = CallQuality.judge(CallEvent.Direction.OUTBOUND, "101", null, CallStatus.NO_ANSWER, 0, 5, NEW, CallRules.DEFAULTS);
        assertFalse(v.target());
        assertFalse(v.missed());
        assertFalse(v.excluded());
    }
}
