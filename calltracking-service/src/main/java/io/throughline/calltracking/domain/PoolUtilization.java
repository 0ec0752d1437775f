package io.throughline.calltracking.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How busy a pool was over time, from its reservation windows: a sweep over the windows' starts and ends gives
 * the number of numbers held at every moment, and each bucket reports its peak (the figure that decides whether
 * the pool is big enough) along with the visits that started in it and those that found the pool full.
 */
public final class PoolUtilization {

    private PoolUtilization() {
    }

    /** One reservation: held from {@code start} to {@code end}; {@code holding} when it held a number of its own. */
    public record Window(Instant start, Instant end, boolean holding, boolean overflow) {
    }

    public record Bucket(Instant from, int peakHeld, int visits, int overflows) {
    }

    /** Buckets of {@code step} covering [from, to); windows may start before {@code from}. */
    public static List<Bucket> buckets(List<Window> windows, Instant from, Instant to, Duration step) {
        int n = (int) Math.max(1, (Duration.between(from, to).toMillis() + step.toMillis() - 1) / step.toMillis());
        int[] peak = new int[n];
        int[] visits = new int[n];
        int[] overflows = new int[n];
        record Change(Instant at, int delta) {
        }
        List<Change> changes = new ArrayList<>();
        for (Window w : windows) {
            int i = index(w.start(), from, step, n);
            if (i >= 0) {
                visits[i]++;
                if (w.overflow()) {
                    overflows[i]++;
                }
            }
            if (w.holding() && w.end().isAfter(w.start())) {
                changes.add(new Change(w.start(), 1));
                changes.add(new Change(w.end(), -1));
            }
        }
        // Ends before starts at the same instant: a number handed over is not counted twice.
        changes.sort((a, b) -> a.at().equals(b.at()) ? Integer.compare(a.delta(), b.delta()) : a.at().compareTo(b.at()));
        // The level between two changes holds for every bucket it spans; each change may raise its own bucket's peak.
        int held = 0;
        int current = 0;
        for (Change c : changes) {
            int i = index(c.at(), from, step, n);
            // A change exactly at a bucket's start leaves that bucket to the new level.
            boolean atStart = i >= 0 && i < n && from.plus(step.multipliedBy(i)).equals(c.at());
            for (int j = current; j <= Math.min(atStart ? i - 1 : i, n - 1); j++) {
                peak[j] = Math.max(peak[j], held);
            }
            held += c.delta();
            if (i >= 0 && i < n) {
                peak[i] = Math.max(peak[i], held);
            }
            current = Math.max(current, Math.min(Math.max(i, 0), n));
        }
        for (int j = current; j < n; j++) {
            peak[j] = Math.max(peak[j], held);
        }
        List<Bucket> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Bucket(from.plus(step.multipliedBy(i)), peak[i], visits[i], overflows[i]));
        }
        return out;
    }

    private static int index(Instant at, Instant from, Duration step, int n) {
        if (at.isBefore(from)) {
            return -1;
        }
        long i = Duration.between(from, at).toMillis() / step.toMillis();
        return i >= n ? n : (int) i;
    }
}
