package io.throughline.calltracking.api;

import java.time.Instant;
import java.util.List;

/**
 * A pool's utilization over a range: per bucket the peak of numbers held at once (against the pool's size), the
 * visits that asked for a number and those that found it full; and the size the pool should have: peak new visits
 * a minute x (average visit minutes + hold minutes) x 1.3.
 */
public record PoolReport(String poolId, Instant from, Instant to, String bucket, int numbers, int holdSeconds, List<Row> buckets, int visits,
        int overflows, double overflowShare, int peakNewSessionsPerMinute, double averageSessionMinutes, int recommendedNumbers) {

    public record Row(Instant from, int peakHeld, double peakUtilization, int visits, int overflows) {
    }
}
