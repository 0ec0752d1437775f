package io.throughline.reporting.api;

import io.throughline.reporting.store.ReportQueries;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Figures summed per report row (its key values), money converted to the workspace currency on the way in. */
final class RowSums {

    private final Map<List<String>, Map<String, BigDecimal>> rows = new LinkedHashMap<>();
    private final Map<String, BigDecimal> totals = new LinkedHashMap<>();

    /** Adds the cells' measures under their own names, or renamed ({@code measure -> column}). */
    void add(ReportContext ctx, List<ReportQueries.Cell> cells, ReportQueries.Source source, Map<String, String> rename) {
        for (ReportQueries.Cell c : cells) {
            Map<String, BigDecimal> row = rows.computeIfAbsent(c.keys(), k -> new LinkedHashMap<>());
            for (String m : c.measures().keySet()) {
                BigDecimal v = source.money().contains(m) ? ctx.money(c, m) : c.measures().get(m);
                String name = rename.getOrDefault(m, m);
                row.merge(name, v, BigDecimal::add);
                totals.merge(name, v, BigDecimal::add);
            }
        }
    }

    void add(ReportContext ctx, List<ReportQueries.Cell> cells, ReportQueries.Source source) {
        add(ctx, cells, source, Map.of());
    }

    void put(List<String> row, String name, BigDecimal value) {
        rows.computeIfAbsent(row, k -> new LinkedHashMap<>()).merge(name, value, BigDecimal::add);
        totals.merge(name, value, BigDecimal::add);
    }

    Map<List<String>, Map<String, BigDecimal>> rows() {
        return rows;
    }

    Map<String, BigDecimal> totals() {
        return totals;
    }

    static BigDecimal get(Map<String, BigDecimal> row, String name) {
        return row.getOrDefault(name, BigDecimal.ZERO);
    }
}
