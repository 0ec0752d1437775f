package io.throughline.e2e;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for something the platform does in the background (outboxes, processors, a browser's script). */
final class Eventually {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    private Eventually() {
    }

    /**
     * The first non-null value {@code value} gives within 60 s (a value that throws counts as not yet); fails with
     * {@code what} otherwise.
     */
    static <T> T waitFor(Supplier<T> value, String what) {
        return waitFor(value, what, LIMIT);
    }

    /** The same, within {@code limit} (a background job on a longer schedule). */
    static <T> T waitFor(Supplier<T> value, String what, Duration limit) {
        return waitFor(value, what, limit, () -> "");
    }

    /** The same, and on failure also what {@code lastSeen} says (the last value looked at). */
    static <T> T waitFor(Supplier<T> value, String what, Duration limit, Supplier<?> lastSeen) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            T v;
            try {
                v = value.get();
            } catch (RuntimeException e) {
                v = null;
            }
            if (v != null) {
                return v;
            }
            if (System.nanoTime() > deadline) {
                String last = String.valueOf(lastSeen.get());
                throw new AssertionError("not within " + limit.toSeconds() + " s: " + what + (last.isEmpty() ? "" : "; last seen: " + last));
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
