package io.throughline.reporting.domain.spend;

import io.throughline.commons.money.Money;
import io.throughline.commons.money.Decimals;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

/**
 * Builds spend rows field by field with the checks every format shares, collecting what is wrong with a row instead
 * of stopping at the first problem of the file: a malformed row is refused with its reason while the rest imports.
 */
final class SpendRows {

    static final int MAX_TEXT = 300;
    /** A day later than tomorrow (any zone) or older than ten years is a mistake, not spend. */
    static final int MAX_AGE_YEARS = 10;

    private final List<SpendRow> rows = new ArrayList<>();
    private final List<SpendRejection> rejected = new ArrayList<>();
    private final Platforms platforms;
    private final LocalDate today;
    private int read;

    SpendRows(Platforms platforms, LocalDate today) {
        this.platforms = platforms;
        this.today = today;
    }

    /** One row being read; {@link #done()} adds it, or its first problem. */
    final class Row {
        private final int line;
        private String problemField;
        private String problem;
        LocalDate day;
        String platform;
        String account = "";
        String campaignId = "";
        String campaignName = "";
        String adGroup = "";
        String keyword = "";
        String source;
        String medium;
        String channel;
        long impressions;
        long clicks;
        long costMinor;
        String currency;
        BigDecimal conversions;

        Row(int line) {
            this.line = line;
            read++;
        }

        void fail(String field, String reason) {
            if (problem == null) {
                problemField = field;
                problem = reason;
            }
        }

        void day(String field, String value) {
            if (value == null || value.isBlank()) {
                fail(field, "is required (YYYY-MM-DD)");
                return;
            }
            try {
                LocalDate d = LocalDate.parse(value.strip());
                if (d.isAfter(today.plusDays(1))) {
                    fail(field, "is in the future");
                } else if (d.isBefore(today.minusYears(MAX_AGE_YEARS))) {
                    fail(field, "is more than " + MAX_AGE_YEARS + " years ago");
                } else {
                    day = d;
                }
            } catch (DateTimeParseException e) {
                fail(field, "must be a date such as 2026-11-01, found \"" + value + "\"");
            }
        }

        void currency(String field, String value) {
            Optional<Currency> c = Money.currency(value == null ? null : value.strip().toUpperCase(java.util.Locale.ROOT));
            if (c.isEmpty()) {
                fail(field, "is not an ISO 4217 currency code: \"" + value + "\"");
            } else {
                currency = c.get().getCurrencyCode();
            }
        }

        String text(String field, String value, boolean required) {
            String v = value == null ? "" : value.strip();
            if (v.equals("--")) {
                v = "";
            }
            if (required && v.isEmpty()) {
                fail(field, "is required");
            } else if (v.length() > MAX_TEXT) {
                fail(field, "is longer than " + MAX_TEXT + " characters");
            }
            return v;
        }

        long count(String field, String value) {
            String v = value == null ? "" : value.strip();
            if (v.isEmpty() || v.equals("--")) {
                return 0;
            }
            try {
                long n = new BigDecimal(v).longValueExact();
                if (n < 0) {
                    fail(field, "must be >= 0");
                }
                return n;
            } catch (NumberFormatException | ArithmeticException e) {
                fail(field, "must be a whole number, found \"" + value + "\"");
                return 0;
            }
        }

        BigDecimal decimal(String field, String value, boolean commaDecimals) {
            String v = value == null ? "" : value.strip().replace("\u00a0", "").replace(" ", "");
            if (v.isEmpty() || v.equals("--")) {
                return null;
            }
            if (commaDecimals) {
                v = v.replace(',', '.');
            }
            try {
                BigDecimal parsed = new BigDecimal(v);
                if (!Decimals.bounded(parsed)) {
                    fail(field, Decimals.OUT_OF_RANGE);
                    return null;
                }
                return parsed;
            } catch (NumberFormatException e) {
                fail(field, "must be a number, found \"" + value + "\"");
                return null;
            }
        }

        /** Cost in major units of the row's currency ("1234.50"); more fraction digits than the currency has are refused. */
        void costMajor(String field, String value, boolean commaDecimals) {
            BigDecimal major = decimal(field, value, commaDecimals);
            if (major == null) {
                if (problem == null) {
                    fail(field, "is required");
                }
                return;
            }
            if (major.signum() < 0) {
                fail(field, "must be >= 0 (refunds belong to deals, not ad costs)");
                return;
            }
            if (currency == null) {
                return;
            }
            Optional<Money> m = Money.ofMajor(major, Currency.getInstance(currency));
            if (m.isEmpty()) {
                fail(field, "has more fraction digits than " + currency + " allows, or is too large");
            } else {
                costMinor = m.get().amountMinor();
            }
        }

        /** Cost in millionths of the currency unit (Google's cost_micros, Yandex's default): rounded half-even to minor units. */
        void costMicros(String field, String value) {
            String v = value == null ? "" : value.strip();
            if (v.isEmpty() || v.equals("--")) {
                fail(field, "is required");
                return;
            }
            try {
                BigDecimal micros = new BigDecimal(v);
                if (!Decimals.bounded(micros)) {
                    fail(field, Decimals.OUT_OF_RANGE);
                    return;
                }
                if (micros.signum() < 0) {
                    fail(field, "must be >= 0");
                    return;
                }
                if (currency != null) {
                    int digits = Math.max(Currency.getInstance(currency).getDefaultFractionDigits(), 0);
                    costMinor = micros.movePointLeft(6 - digits).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
                }
            } catch (NumberFormatException | ArithmeticException e) {
                fail(field, "must be a whole number of micros, found \"" + value + "\"");
            }
        }

        void done() {
            if (problem == null && platform == null) {
                fail("platform", "is required");
            }
            if (problem == null && campaignId.isEmpty() && campaignName.isEmpty()) {
                fail("campaign", "is required (a name or an id)");
            }
            if (problem == null && day == null) {
                fail("day", "is required");
            }
            if (problem == null && currency == null) {
                fail("currency", "is required");
            }
            if (problem != null) {
                rejected.add(new SpendRejection(line, problemField, problem));
                return;
            }
            Platforms.Mapping m = platforms.of(platform);
            String id = campaignId.isEmpty() ? campaignName : campaignId;
            String name = campaignName.isEmpty() ? campaignId : campaignName;
            rows.add(new SpendRow(line, day, platform, account, id, name, m.campaignKey(id, name), adGroup, keyword,
                    source == null || source.isBlank() ? m.source() : source.toLowerCase(java.util.Locale.ROOT),
                    medium == null || medium.isBlank() ? m.medium() : medium.toLowerCase(java.util.Locale.ROOT),
                    channel == null || channel.isBlank() ? m.channel() : channel, impressions, clicks, costMinor, currency, conversions));
        }
    }

    Row row(int line) {
        return new Row(line);
    }

    void reject(int line, String field, String reason) {
        read++;
        rejected.add(new SpendRejection(line, field, reason));
    }

    SpendFile result() {
        return new SpendFile(List.copyOf(rows), List.copyOf(rejected), read);
    }
}
