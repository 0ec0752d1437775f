package io.throughline.reporting.domain.metrics;

import java.math.BigDecimal;

/**
 * A computed figure that may not exist: a division by zero gives no value and says why (metrics.md: never
 * Infinity, NaN or an error). Money figures are in minor units of the report's currency.
 */
public record Figure(BigDecimal value, String nullReason) {

    public Figure {
        if ((value == null) == (nullReason == null)) {
            throw new IllegalArgumentException("a figure has a value or a reason, not both or neither");
        }
    }

    public static Figure of(BigDecimal value) {
        return new Figure(value, null);
    }

    public static Figure none(String reason) {
        return new Figure(null, reason);
    }

    public boolean present() {
        return value != null;
    }
}
