package io.throughline.calltracking.domain;

import java.util.List;

/**
 * A site's call rules: what a target call is (a minimum talk time), the sale cycle within which a caller is not new
 * again, when an unanswered call is abandoned, how long a call-back may take, the spam thresholds, and the clock
 * skew tolerated when matching calls to reservations.
 */
public record CallRules(int targetMinTalkSeconds, int uniqueWindowDays, int abandonedMaxSeconds, int callbackWindowMinutes,
        int maxCallsPerHour, int zeroTalkBurst, int matchSkewSeconds, List<String> blocklist) {

    /** Google Ads counts 60 s; 30 s is the common target; 15 s is CallRail's abandoned threshold. */
    public static final CallRules DEFAULTS = new CallRules(30, 30, 15, 1440, 5, 3, 90, List.of());

    public CallRules {
        blocklist = blocklist == null ? List.of() : List.copyOf(blocklist);
    }

    /** Every problem of rules an admin wants to save. */
    public List<String[]> violations() {
        List<String[]> out = new java.util.ArrayList<>();
        check(out, "target_min_talk_seconds", targetMinTalkSeconds, 0, 3600);
        check(out, "unique_window_days", uniqueWindowDays, 1, 730);
        check(out, "abandoned_max_seconds", abandonedMaxSeconds, 0, 600);
        check(out, "callback_window_minutes", callbackWindowMinutes, 1, 10_080);
        check(out, "max_calls_per_hour", maxCallsPerHour, 1, 1000);
        check(out, "zero_talk_burst", zeroTalkBurst, 2, 100);
        check(out, "match_skew_seconds", matchSkewSeconds, 0, 600);
        if (blocklist.size() > 10_000) {
            out.add(new String[] {"blocklist", "at most 10000 numbers"});
        }
        return out;
    }

    private static void check(List<String[]> out, String field, int value, int min, int max) {
        if (value < min || value > max) {
            out.add(new String[] {field, "must be between " + min + " and " + max});
        }
    }
}
