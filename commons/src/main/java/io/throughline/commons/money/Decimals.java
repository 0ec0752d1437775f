package io.throughline.commons.money;

import java.math.BigDecimal;

/**
 * Numbers clients send, held to a range before any arithmetic on them. A decimal such as {@code 1e999999999} parses in
 * no time, but rounding it ({@code setScale}), printing it plainly or storing it makes a billion digits: one request
 * could keep a thread busy for minutes or exhaust the heap. No amount, rate or count this product handles needs more
 * than {@value #MAX_DIGITS} digits before the point or after it.
 */
public final class Decimals {

    public static final int MAX_DIGITS = 30;

    /** How a refusal reads, after the field's name. */
    public static final String OUT_OF_RANGE = "is out of range (at most " + MAX_DIGITS + " digits before and after the point)";

    private Decimals() {
    }

    /** Whether the number has at most {@value #MAX_DIGITS} digits before the point and as many after it. */
    public static boolean bounded(BigDecimal value) {
        return value.precision() - value.scale() <= MAX_DIGITS && value.scale() <= MAX_DIGITS;
    }
}
