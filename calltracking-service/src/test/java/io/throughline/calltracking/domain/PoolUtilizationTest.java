package io.throughline.calltracking.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolUtilizationTest {

    private static Instant at(String hhmm) {
        return Instant.parse("2026-11-24T" + hhmm + ":00Z");
    }

    private static PoolUtilization.Window held(String from, String to) {
        return new PoolUtilization.Window(at(from), at(to), true, false);
    }

    @Test
    void peaksPerBucketCountOverlappingWindowsAndHandOversOnce() {
        List<PoolUtilization.Window> windows = List.of(held("09:50", "10:20"), held("10:05", "10:10"), held("10:10", "10:25"),
                new PoolUtilization.Window(at("10:07"), at("10:10"), false, true));
        List<PoolUtilization.Bucket> buckets = PoolUtilization.buckets(windows, at("10:00"), at("10:40"), Duration.ofMinutes(10));
        assertEquals(4, buckets.size());
        // 10:00-10:10: the window from before the range and 10:05-10:10 -> 2; two visits started, one found the pool full.
        assertEquals(new PoolUtilization.Bucket(at("10:00"), 2, 2, 1), buckets.get(0));
        // 10:10-10:20: 10:05-10:10 hands its number over at 10:10 as the next one starts -> still 2, not 3.
        assertEquals(new PoolUtilization.Bucket(at("10:10"), 2, 1, 0), buckets.get(1));
        // 10:20-10:30: the first window ended at 10:20 exactly -> 1.
        assertEquals(new PoolUtilization.Bucket(at("10:20"), 1, 0, 0), buckets.get(2));
        assertEquals(new PoolUtilization.Bucket(at("10:30"), 0, 0, 0), buckets.get(3));
    }

    @Test
    void aWindowSpanningSeveralBucketsCountsInEach() {
        List<PoolUtilization.Bucket> buckets = PoolUtilization.buckets(List.of(held("08:00", "12:00")), at("10:00"), at("11:00"),
                Duration.ofMinutes(20));
        assertEquals(List.of(1, 1, 1), buckets.stream().map(PoolUtilization.Bucket::peakHeld).toList());
    }

    @Test
    void recommendedSizeIsPeakNewSessionsTimesSessionAndHoldMinutesWithHeadroom() {
        // 4 new sessions a minute at the peak, 5-minute sessions, 3-minute hold: 4 x 8 x 1.3 = 41.6 -> 42.
        assertEquals(42, PoolSizing.recommended(4, 5, 3));
        assertEquals(1, PoolSizing.recommended(0, 5, 3));
    }
}
