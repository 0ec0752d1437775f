package io.throughline.commons.money;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Optional;

/** An amount in integer minor units (kopecks, cents) of an ISO 4217 currency; never a double. */
public record Money(long amountMinor, Currency currency) {

    /** The ISO 4217 currency with this code, if it is one. */
    public static Optional<Currency> currency(String code) {
        if (code == null || !code.matches("[A-Z]{3}")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Currency.getInstance(code));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Major units as clients send them ({@code 1234.5} roubles) to minor units; empty when the amount has
     * more fraction digits than the currency (0.001 RUB) or does not fit a long.
     */
    public static Optional<Money> ofMajor(BigDecimal major, Currency currency) {
        int digits = Math.max(currency.getDefaultFractionDigits(), 0);
        if (major.stripTrailingZeros().scale() > digits) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Money(major.movePointRight(digits).longValueExact(), currency));
        } catch (ArithmeticException e) {
            return Optional.empty();
        }
    }

    /** Major units with exactly the currency's fraction digits: 1234.50 RUB, 1500 JPY. */
    public BigDecimal major() {
        return BigDecimal.valueOf(amountMinor, Math.max(currency.getDefaultFractionDigits(), 0));
    }
}
