package io.throughline.reporting.domain.rates;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Daily exchange rates and the conversion of an amount at its own day's rate. A day without a published rate (a
 * weekend, a holiday) takes the latest rate published before it, at most {@code maxAgeDays} old: the Central Bank of
 * Russia publishes no rates for weekends and the last business day's rate stays in force. Past that, there is no rate:
 * the caller reports the gap, it never converts at 1.0. A pair without a direct rate is converted through its inverse,
 * or across a currency both have a rate against (CBR quotes everything in RUB).
 */
public final class ExchangeRates {

    private static final MathContext WIDE = new MathContext(34, RoundingMode.HALF_EVEN);

    /** Units of {@code quote} one unit of {@code base} was worth on {@code day}. */
    public record Rate(LocalDate day, String base, String quote, BigDecimal value) {
    }

    private final Map<String, NavigableMap<LocalDate, BigDecimal>> byPair = new HashMap<>();
    private final Map<String, List<String>> quotesOf = new HashMap<>();
    private final int maxAgeDays;

    public ExchangeRates(Collection<Rate> rates, int maxAgeDays) {
        this.maxAgeDays = maxAgeDays;
        for (Rate r : rates) {
            byPair.computeIfAbsent(r.base() + "/" + r.quote(), k -> new TreeMap<>()).put(r.day(), r.value());
            List<String> quotes = quotesOf.computeIfAbsent(r.base(), k -> new ArrayList<>());
            if (!quotes.contains(r.quote())) {
                quotes.add(r.quote());
            }
        }
    }

    /** How many units of {@code to} one unit of {@code from} is worth on {@code day}, if known. */
    public Optional<BigDecimal> rate(LocalDate day, String from, String to) {
        if (from.equals(to)) {
            return Optional.of(BigDecimal.ONE);
        }
        Optional<BigDecimal> direct = pair(day, from, to);
        if (direct.isPresent()) {
            return direct;
        }
        Optional<BigDecimal> inverse = pair(day, to, from);
        if (inverse.isPresent() && inverse.get().signum() > 0) {
            return Optional.of(BigDecimal.ONE.divide(inverse.get(), WIDE));
        }
        for (String common : quotesOf.getOrDefault(from, List.of())) {
            Optional<BigDecimal> a = pair(day, from, common);
            Optional<BigDecimal> b = common.equals(to) ? Optional.of(BigDecimal.ONE) : pair(day, to, common);
            if (a.isPresent() && b.isPresent() && b.get().signum() > 0) {
                return Optional.of(a.get().divide(b.get(), WIDE));
            }
        }
        return Optional.empty();
    }

    /**
     * An amount in minor units of {@code from} as minor units of {@code to} (fractional: rounding is the report's
     * last step), if a rate is known for the day.
     */
    public Optional<BigDecimal> convert(BigDecimal minor, String from, String to, LocalDate day) {
        if (from.equals(to)) {
            return Optional.of(minor);
        }
        return rate(day, from, to).map(r -> minor.movePointLeft(digits(from)).multiply(r).movePointRight(digits(to)));
    }

    private Optional<BigDecimal> pair(LocalDate day, String base, String quote) {
        NavigableMap<LocalDate, BigDecimal> days = byPair.get(base + "/" + quote);
        if (days == null) {
            return Optional.empty();
        }
        Map.Entry<LocalDate, BigDecimal> e = days.floorEntry(day);
        if (e == null || ChronoUnit.DAYS.between(e.getKey(), day) > maxAgeDays) {
            return Optional.empty();
        }
        return Optional.of(e.getValue());
    }

    static int digits(String currency) {
        return Math.max(Currency.getInstance(currency).getDefaultFractionDigits(), 0);
    }
}
