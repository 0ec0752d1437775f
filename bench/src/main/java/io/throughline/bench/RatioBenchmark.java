package io.throughline.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongUnaryOperator;

/**
 * Measures a candidate against a baseline in the same run, alternating rounds so that both see the same
 * machine state (JIT, frequency, other load), and reports throughput and the candidate/baseline ratio.
 * Timings are printed, never asserted: they belong in issue notes, not in pass/fail tests.
 */
public final class RatioBenchmark {

    /** The work of one operation; the argument is the operation's index, the result is consumed. */
    public interface Operation extends LongUnaryOperator {
    }

    public record Result(String name, double baselineOpsPerSecond, double candidateOpsPerSecond) {

        public double ratio() {
            return candidateOpsPerSecond / baselineOpsPerSecond;
        }

        public String line() {
            return String.format(Locale.ROOT, "%-44s baseline %,14.0f ops/s   candidate %,14.0f ops/s   ratio %.3f",
                    name, baselineOpsPerSecond, candidateOpsPerSecond, ratio());
        }
    }

    private static volatile long sink;

    private RatioBenchmark() {
    }

    public static Result run(String name, Operation baseline, Operation candidate, long opsPerRound, int warmupRounds,
            int measuredRounds) {
        for (int i = 0; i < warmupRounds; i++) {
            round(baseline, opsPerRound);
            round(candidate, opsPerRound);
        }
        double[] base = new double[measuredRounds];
        double[] cand = new double[measuredRounds];
        for (int i = 0; i < measuredRounds; i++) {
            // Alternate which goes first so neither always runs on a warmer or cooler machine.
            if (i % 2 == 0) {
                base[i] = round(baseline, opsPerRound);
                cand[i] = round(candidate, opsPerRound);
            } else {
                cand[i] = round(candidate, opsPerRound);
                base[i] = round(baseline, opsPerRound);
            }
        }
        return new Result(name, median(base), median(cand));
    }

    private static double round(Operation op, long ops) {
        long acc = 0;
        long start = System.nanoTime();
        for (long i = 0; i < ops; i++) {
            acc += op.applyAsLong(i);
        }
        long elapsed = System.nanoTime() - start;
        sink += acc;
        return ops * 1e9 / Math.max(1, elapsed);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
