package io.throughline.reporting.store;

import io.throughline.reporting.domain.facts.AggregateTables;
import io.throughline.reporting.domain.facts.Contribution;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Aggregate tables kept as sums of what facts contribute: a changed fact takes its old contribution back and adds its
 * new one, inside the transaction that changes the fact, so an aggregate always equals the sum over its facts (and a
 * report reads a handful of rows instead of the facts). Rows whose measures all fell back to zero are removed.
 */
final class Aggregates {

    private Aggregates() {
    }

    /** Adds the contributions (negated ones take old ones back), summed per row first. */
    static void apply(Connection c, String tenantId, List<Contribution> contributions) throws SQLException {
        Map<String, Map<List<Object>, BigDecimal[]>> byTable = new LinkedHashMap<>();
        for (Contribution k : contributions) {
            BigDecimal[] sums = byTable.computeIfAbsent(k.table(), t -> new LinkedHashMap<>()).computeIfAbsent(k.key(), x -> zeros(k.measures().size()));
            for (int i = 0; i < sums.length; i++) {
                sums[i] = sums[i].add(k.measures().get(i));
            }
        }
        for (Map.Entry<String, Map<List<Object>, BigDecimal[]>> e : byTable.entrySet()) {
            AggregateTables.Table table = AggregateTables.BY_NAME.get(e.getKey());
            List<Map.Entry<List<Object>, BigDecimal[]>> rows = new ArrayList<>();
            e.getValue().entrySet().stream().filter(r -> java.util.Arrays.stream(r.getValue()).anyMatch(v -> v.signum() != 0)).forEach(rows::add);
            if (rows.isEmpty()) {
                continue;
            }
            String keys = String.join(", ", table.keys());
            String measures = String.join(", ", table.measures());
            StringBuilder sql = new StringBuilder("INSERT INTO ").append(table.name()).append(" AS a (tenant_id, ").append(keys).append(", ")
                    .append(measures).append(") VALUES (?").append(", ?".repeat(table.keys().size() + table.measures().size()))
                    .append(") ON CONFLICT (tenant_id, ").append(keys).append(") DO UPDATE SET ");
            for (int i = 0; i < table.measures().size(); i++) {
                String m = table.measures().get(i);
                sql.append(i == 0 ? "" : ", ").append(m).append(" = a.").append(m).append(" + EXCLUDED.").append(m);
            }
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                for (Map.Entry<List<Object>, BigDecimal[]> r : rows) {
                    int p = 1;
                    s.setString(p++, tenantId);
                    for (Object key : r.getKey()) {
                        set(s, p++, key);
                    }
                    for (BigDecimal v : r.getValue()) {
                        s.setBigDecimal(p++, v);
                    }
                    s.addBatch();
                }
                s.executeBatch();
            }
            sweep(c, tenantId, table, rows.stream().map(Map.Entry::getKey).toList());
            if (MonthTwins.BY_DAILY.containsKey(table.name())) {
                int day = table.keys().indexOf("day");
                MonthTwins.touched(c, table.name(), tenantId, rows.stream().map(r -> (java.time.LocalDate) r.getKey().get(day)).toList());
            }
        }
    }

    /** Removes the given rows where every measure is zero again. */
    private static void sweep(Connection c, String tenantId, AggregateTables.Table table, List<List<Object>> keys) throws SQLException {
        String zero = String.join(" AND ", table.measures().stream().map(m -> m + " = 0").toList());
        String match = String.join(" AND ", table.keys().stream().map(k -> k + " = ?").toList());
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table.name() + " WHERE tenant_id = ? AND " + match + " AND " + zero)) {
            Set<List<Object>> seen = new HashSet<>();
            for (List<Object> key : keys) {
                if (!seen.add(key)) {
                    continue;
                }
                int p = 1;
                s.setString(p++, tenantId);
                for (Object k : key) {
                    set(s, p++, k);
                }
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Empties the workspace's rows of the tables (a rebuild adds everything again). */
    static void clear(Connection c, String tenantId, AggregateTables.Table... tables) throws SQLException {
        for (AggregateTables.Table t : tables) {
            if (MonthTwins.BY_DAILY.containsKey(t.name())) {
                MonthTwins.touchedAll(c, t.name(), tenantId);
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM " + t.name() + " WHERE tenant_id = ?")) {
                s.setString(1, tenantId);
                s.executeUpdate();
            }
        }
    }

    private static void set(PreparedStatement s, int i, Object value) throws SQLException {
        if (value instanceof LocalDate d) {
            s.setDate(i, Date.valueOf(d));
        } else {
            s.setObject(i, value);
        }
    }

    private static BigDecimal[] zeros(int n) {
        BigDecimal[] out = new BigDecimal[n];
        java.util.Arrays.fill(out, BigDecimal.ZERO);
        return out;
    }
}
