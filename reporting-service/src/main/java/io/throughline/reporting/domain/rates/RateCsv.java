package io.throughline.reporting.domain.rates;

import io.throughline.commons.money.Decimals;
import io.throughline.commons.money.Money;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Exchange rates as a CSV with a header: {@code day, currency, rate} and optionally {@code nominal} (units of the
 * currency the rate is for, default 1) and {@code quote} (the currency the rate is in, default the given one): "on
 * day, nominal units of currency were worth rate units of quote". Comma or semicolon separated (with semicolons,
 * comma decimals).
 */
public final class RateCsv {

    private static final MathContext WIDE = new MathContext(34, RoundingMode.HALF_EVEN);

    public record Problem(int line, String field, String reason) {
    }

    public record Result(List<ExchangeRates.Rate> rates, List<Problem> rejected, int read) {
    }

    private RateCsv() {
    }

    public static Result parse(String text, String defaultQuote) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        String first = body.lines().findFirst().orElse("");
        char delimiter = first.chars().filter(c -> c == ';').count() > first.chars().filter(c -> c == ',').count() ? ';' : ',';
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true)
                .setTrim(true).get();
        List<ExchangeRates.Rate> rates = new ArrayList<>();
        List<Problem> rejected = new ArrayList<>();
        int read = 0;
        try (CSVParser parser = CSVParser.parse(new StringReader(body), format)) {
            Map<String, Integer> header = new HashMap<>();
            parser.getHeaderMap().forEach((k, v) -> header.put(k.strip().toLowerCase(Locale.ROOT), v));
            for (String required : new String[] {"day", "currency", "rate"}) {
                if (!header.containsKey(required)) {
                    throw new IllegalArgumentException("the header has no \"" + required + "\" column (columns: day, currency, rate, nominal, quote)");
                }
            }
            for (CSVRecord r : parser) {
                read++;
                int line = (int) parser.getCurrentLineNumber();
                try {
                    LocalDate day = LocalDate.parse(get(r, header, "day"));
                    String currency = get(r, header, "currency").toUpperCase(Locale.ROOT);
                    String quote = get(r, header, "quote").isEmpty() ? defaultQuote : get(r, header, "quote").toUpperCase(Locale.ROOT);
                    if (Money.currency(currency).isEmpty()) {
                        rejected.add(new Problem(line, "currency", "is not an ISO 4217 currency code"));
                        continue;
                    }
                    if (Money.currency(quote).isEmpty()) {
                        rejected.add(new Problem(line, "quote", "is not an ISO 4217 currency code"));
                        continue;
                    }
                    if (currency.equals(quote)) {
                        rejected.add(new Problem(line, "currency", "equals the quote currency"));
                        continue;
                    }
                    BigDecimal rate = number(get(r, header, "rate"), delimiter == ';');
                    String nominalText = get(r, header, "nominal");
                    BigDecimal nominal = nominalText.isEmpty() ? BigDecimal.ONE : number(nominalText, delimiter == ';');
                    if (rate.signum() <= 0 || nominal.signum() <= 0) {
                        rejected.add(new Problem(line, rate.signum() <= 0 ? "rate" : "nominal", "must be positive"));
                        continue;
                    }
                    rates.add(new ExchangeRates.Rate(day, currency, quote, rate.divide(nominal, WIDE)));
                } catch (DateTimeParseException e) {
                    rejected.add(new Problem(line, "day", "must be a date such as 2026-11-01"));
                } catch (NumberFormatException e) {
                    rejected.add(new Problem(line, "rate", Decimals.OUT_OF_RANGE.equals(e.getMessage()) ? Decimals.OUT_OF_RANGE : "must be a number"));
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new IllegalArgumentException("the CSV cannot be read: " + e.getMessage());
        }
        return new Result(rates, rejected, read);
    }

    private static BigDecimal number(String text, boolean commaDecimals) {
        String t = text.replace(" ", "");
        BigDecimal value = new BigDecimal(commaDecimals ? t.replace(',', '.') : t);
        if (!Decimals.bounded(value)) {
            throw new NumberFormatException(Decimals.OUT_OF_RANGE);
        }
        return value;
    }

    private static String get(CSVRecord r, Map<String, Integer> header, String column) {
        Integer i = header.get(column);
        return i == null || i >= r.size() ? "" : r.get(i).strip();
    }
}
