package io.throughline.attribution.domain.crm;

import io.throughline.commons.money.Decimals;
import io.throughline.commons.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Currency;

/** Field readers shared by the CRM formats; each failure names the field. */
final class CrmValues {

    private CrmValues() {
    }

    static long minor(String field, String value, String currency) {
        if (value == null) {
            return 0;
        }
        Currency c = Money.currency(currency).orElseThrow(() -> new CrmProblem("currency", "is not an ISO 4217 code"));
        try {
            BigDecimal major = new BigDecimal(value.replace(',', '.').replace(" ", ""));
            if (!Decimals.bounded(major)) {
                throw new CrmProblem(field, Decimals.OUT_OF_RANGE);
            }
            if (major.signum() < 0) {
                throw new CrmProblem(field, "must be >= 0");
            }
            return Money.ofMajor(major.setScale(c.getDefaultFractionDigits(), java.math.RoundingMode.HALF_EVEN), c).map(Money::amountMinor)
                    .orElseThrow(() -> new CrmProblem(field, "is too large"));
        } catch (NumberFormatException e) {
            throw new CrmProblem(field, "must be a number");
        }
    }

    static Instant unix(String field, String value, boolean required) {
        if (value == null) {
            if (required) {
                throw new CrmProblem(field, "is required: a Unix time in seconds");
            }
            return null;
        }
        if (!value.matches("\\d{1,11}")) {
            throw new CrmProblem(field, "must be a Unix time in seconds");
        }
        return Instant.ofEpochSecond(Long.parseLong(value));
    }

    static Instant iso(String field, String value, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                throw new CrmProblem(field, "is required: an ISO 8601 time with offset");
            }
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new CrmProblem(field, "must be an ISO 8601 time with offset such as 2026-11-20T12:00:00+03:00");
        }
    }

    static String id(String field, String value) {
        if (value == null || !value.matches("[A-Za-z0-9._:-]{1,100}")) {
            throw new CrmProblem(field, "is required: the CRM's id");
        }
        return value;
    }

    static String text(String value) {
        return value == null || value.isBlank() ? null : value.length() > 500 ? value.substring(0, 500) : value.strip();
    }
}
