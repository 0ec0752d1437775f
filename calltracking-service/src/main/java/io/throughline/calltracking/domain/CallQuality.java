package io.throughline.calltracking.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Judges a call by the site's rules and the caller's recent history: target (answered and talked long enough),
 * first-time or repeat caller within the sale cycle, missed and abandoned (unanswered, and shorter than the
 * abandoned threshold), and spam (blocklisted, withheld number, too many calls an hour, a burst of zero-talk
 * calls). Flagged calls are kept and excluded from conversions.
 */
public final class CallQuality {

    private static final Set<String> WITHHELD = Set.of("", "anonymous", "unknown", "private", "restricted", "unavailable", "withheld");
    /** Answered calls shorter than this count as zero-talk (robocalls, instant hang-ups). */
    public static final int ZERO_TALK_SECONDS = 5;

    private CallQuality() {
    }

    /** What the caller did before this call, as the store counts it. */
    public record History(int earlierCallsInUniqueWindow, int callsInLastHour, int zeroTalkCallsLast10Minutes) {
    }

    public record Verdict(boolean target, boolean firstTime, boolean missed, boolean abandoned, List<String> exclusionReasons) {
        public boolean excluded() {
            return !exclusionReasons.isEmpty();
        }
    }

    public static Verdict judge(CallEvent.Direction direction, String callerRaw, String callerE164, CallStatus status, Integer talkSeconds,
            Integer durationSeconds, History history, CallRules rules) {
        List<String> reasons = new ArrayList<>();
        if (direction == CallEvent.Direction.INBOUND) {
            String raw = callerRaw == null ? "" : callerRaw.strip().toLowerCase(Locale.ROOT);
            if (WITHHELD.contains(raw) || callerE164 == null) {
                reasons.add("withheld_number");
            }
            if (callerE164 != null && rules.blocklist().contains(callerE164)) {
                reasons.add("blocklisted");
            }
            if (history.callsInLastHour() + 1 > rules.maxCallsPerHour()) {
                reasons.add("too_many_calls");
            }
            boolean zeroTalk = status == CallStatus.ANSWERED && talkSeconds != null && talkSeconds < ZERO_TALK_SECONDS;
            if (zeroTalk && history.zeroTalkCallsLast10Minutes() + 1 >= rules.zeroTalkBurst()) {
                reasons.add("zero_talk_burst");
            }
        }
        boolean inbound = direction == CallEvent.Direction.INBOUND;
        boolean missed = inbound && status != null && status != CallStatus.ANSWERED;
        int length = durationSeconds == null ? 0 : durationSeconds;
        boolean abandoned = missed && length < rules.abandonedMaxSeconds();
        boolean target = inbound && reasons.isEmpty() && status == CallStatus.ANSWERED && talkSeconds != null
                && talkSeconds >= rules.targetMinTalkSeconds();
        boolean firstTime = inbound && history.earlierCallsInUniqueWindow() == 0;
        return new Verdict(target, firstTime, missed, abandoned, List.copyOf(reasons));
    }
}
