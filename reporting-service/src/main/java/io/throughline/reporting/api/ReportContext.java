package io.throughline.reporting.api;

import io.throughline.commons.api.ProblemException;
import io.throughline.reporting.domain.ReportSettings;
import io.throughline.reporting.domain.rates.ExchangeRates;
import io.throughline.reporting.store.FeedStore;
import io.throughline.reporting.store.ReportQueries;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one report request is about, resolved and checked: the workspace and its settings, the period, key filters,
 * the site, the grouping, the attribution series (the model) and the rates money is converted at. Conversion happens
 * at each amount's own day's rate; a day without a rate (beyond the carry-over limit) is a gap: the amount is left out
 * and the report lists it, never converted at 1.0.
 */
final class ReportContext {

    final String tenantId;
    final ReportSettings settings;
    final ReportPeriod period;
    final Map<String, List<String>> filters;
    final String siteKey;
    final List<String> groupBy;
    final FeedStore.SeriesState model;
    final List<FeedStore.SeriesState> models;
    private final ExchangeRates rates;
    /** Amounts left out for want of a rate: currency -> day -> what (measure and cell) -> amount; one cell read twice counts once. */
    private final Map<String, TreeMap<LocalDate, Map<String, BigDecimal>>> gaps = new TreeMap<>();
    private boolean quiet;
    /** Cells already read for this request: a report and its cohorts or overheads often ask for the same ones. */
    private final Map<List<Object>, List<ReportQueries.Cell>> read = new java.util.HashMap<>();

    ReportContext(String tenantId, ReportSettings settings, ReportPeriod period, Map<String, List<String>> filters, String siteKey, List<String> groupBy,
            FeedStore.SeriesState model, List<FeedStore.SeriesState> models, ExchangeRates rates) {
        this.tenantId = tenantId;
        this.settings = settings;
        this.period = period;
        this.filters = filters;
        this.siteKey = siteKey;
        this.groupBy = groupBy;
        this.model = model;
        this.models = models;
        this.rates = rates;
    }

    ReportQueries.Filter filter(String series) {
        return new ReportQueries.Filter(period.from(), period.to(), filters, siteKey, series);
    }

    /**
     * The cells of one source, filter and grouping in the workspace currency, read once per request (the site and the
     * series only count for the sources they apply to).
     */
    List<ReportQueries.Cell> cells(ReportQueries queries, ReportQueries.Source source, ReportQueries.Filter filter, List<String> groupBy) {
        ReportQueries.Filter f = new ReportQueries.Filter(filter.from(), filter.to(), filter.keys(), source.sites() ? filter.siteKey() : null,
                source == ReportQueries.CREDITS ? filter.series() : null);
        return read.computeIfAbsent(List.of(source.table(), f, List.copyOf(groupBy)), k -> queries.cells(tenantId, source, f, groupBy, settings.currency()));
    }

    ReportQueries.Filter unfiltered(String series) {
        return new ReportQueries.Filter(period.from(), period.to(), Map.of(), null, series);
    }

    /** The series a report names by model=, else the default; 400 for one reporting does not hold. */
    static FeedStore.SeriesState series(List<FeedStore.SeriesState> models, String requested) {
        if (requested == null || requested.isBlank()) {
            return models.stream().filter(FeedStore.SeriesState::isDefault).findFirst().orElse(models.isEmpty() ? null : models.get(0));
        }
        return models.stream().filter(m -> m.series().equals(requested)).findFirst().orElseThrow(() -> ProblemException.invalidField("model",
                "has no finished attribution run here" + (models.isEmpty() ? " yet" : " (models: " + String.join(", ",
                        models.stream().map(FeedStore.SeriesState::series).toList()) + ")")));
    }

    /** The cell's money measure in the workspace currency (minor units), or zero and a gap when its day has no rate. */
    BigDecimal money(ReportQueries.Cell cell, String measure) {
        BigDecimal amount = cell.measures().getOrDefault(measure, BigDecimal.ZERO);
        if (cell.currency().equals(settings.currency()) || amount.signum() == 0) {
            return amount;
        }
        LocalDate day = cell.day() == null ? cell.month().atDay(1) : cell.day();
        return convert(amount, cell.currency(), day, measure + "|" + cell.channel() + "|" + cell.keys());
    }

    /** An amount of a currency on a day in the workspace currency, or zero and a gap. */
    BigDecimal convert(BigDecimal minor, String currency, LocalDate day) {
        return convert(minor, currency, day, "amount");
    }

    private BigDecimal convert(BigDecimal minor, String currency, LocalDate day, String what) {
        if (currency.equals(settings.currency()) || minor.signum() == 0) {
            return minor;
        }
        var converted = rates.convert(minor, currency, settings.currency(), day);
        if (converted.isEmpty()) {
            if (!quiet) {
                gaps.computeIfAbsent(currency, c -> new TreeMap<>()).computeIfAbsent(day, d -> new java.util.HashMap<>()).put(what, minor);
            }
            return BigDecimal.ZERO;
        }
        return converted.get();
    }

    /** Runs work whose conversions re-read amounts the report already converts (their gaps are counted once, there). */
    <T> T quietly(java.util.function.Supplier<T> work) {
        boolean was = quiet;
        quiet = true;
        try {
            return work.get();
        } finally {
            quiet = was;
        }
    }

    /** Amounts left out for want of a rate, per currency: the days and the amount of each measure (in that currency's major units). */
    List<Map<String, Object>> rateGaps() {
        List<Map<String, Object>> out = new ArrayList<>();
        gaps.forEach((currency, days) -> {
            int digits = Math.max(java.util.Currency.getInstance(currency).getDefaultFractionDigits(), 0);
            Map<String, BigDecimal> byMeasure = new TreeMap<>();
            days.values().forEach(m -> m.forEach((what, amount) -> byMeasure.merge(what.split("\\|", 2)[0], amount, BigDecimal::add)));
            Map<String, BigDecimal> shown = new TreeMap<>();
            byMeasure.forEach((k, v) -> shown.put(k, v.setScale(0, java.math.RoundingMode.HALF_EVEN).movePointLeft(digits).setScale(digits,
                    java.math.RoundingMode.UNNECESSARY)));
            out.add(Map.of("currency", currency, "days", new TreeSet<>(days.keySet()).stream().map(LocalDate::toString).toList(),
                    "excluded", shown,
                    "reason", "no " + currency + "/" + settings.currency() + " rate for these days (import rates: POST /api/reporting/rates/imports)"));
        });
        return out;
    }

    int currencyDigits() {
        return Math.max(java.util.Currency.getInstance(settings.currency()).getDefaultFractionDigits(), 0);
    }

    /** The model part of a report's meta: which run (series version) the figures are of. */
    Map<String, Object> modelMeta() {
        if (model == null) {
            return Map.of("series", "", "note", "no attribution run has finished in this workspace yet: credited figures are zero");
        }
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("series", model.series());
        m.put("model", model.model());
        m.put("run_id", model.runId().toString());
        m.put("version", model.version());
        m.put("cutoff", model.cutoff().toString());
        m.put("conversion_event", model.conversionEvent());
        m.put("synced_at", model.syncedAt().toString());
        return m;
    }
}
