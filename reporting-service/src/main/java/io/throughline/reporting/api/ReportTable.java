package io.throughline.reporting.api;

import io.throughline.commons.api.ProblemException;
import io.throughline.reporting.domain.metrics.Figure;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A report's rows as the API and CSV give them: named, typed columns. Money is kept in minor units until shown, then
 * in major units with the currency's digits; a percent or ratio that cannot be computed is null and says why in
 * {@code <column>_null_reason}. Rows sort by any column (nulls last, then by the key columns, so pages are stable) and
 * page with an opaque cursor tied to the query it came from.
 */
final class ReportTable {

    enum Type {
        KEY, TEXT, COUNT, DECIMAL, MONEY, PERCENT, RATIO
    }

    record Column(String name, Type type, String description) {
    }

    private final List<Column> columns;
    private final int digits;

    ReportTable(List<Column> columns, int currencyDigits) {
        this.columns = List.copyOf(columns);
        this.digits = currencyDigits;
    }

    List<Column> columns() {
        return columns;
    }

    static Column key(String name) {
        return new Column(name, Type.KEY, "grouping key");
    }

    static Column count(String name, String description) {
        return new Column(name, Type.COUNT, description);
    }

    static Column decimal(String name, String description) {
        return new Column(name, Type.DECIMAL, description);
    }

    static Column money(String name, String description) {
        return new Column(name, Type.MONEY, description);
    }

    static Column percent(String name, String description) {
        return new Column(name, Type.PERCENT, description);
    }

    static Column ratio(String name, String description) {
        return new Column(name, Type.RATIO, description);
    }

    static Column text(String name, String description) {
        return new Column(name, Type.TEXT, description);
    }

    /** A row's values by column name: String, BigDecimal (money in minor units) or Figure. */
    Map<String, Object> json(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Column c : columns) {
            Object v = row.get(c.name());
            if (v instanceof Figure f) {
                out.put(c.name(), f.present() ? shown(c, f.value()) : null);
                if (!f.present()) {
                    out.put(c.name() + "_null_reason", f.nullReason());
                }
            } else {
                out.put(c.name(), v instanceof BigDecimal b ? shown(c, b) : v);
            }
        }
        return out;
    }

    private Object shown(Column c, BigDecimal v) {
        return switch (c.type()) {
            case MONEY -> v.setScale(0, RoundingMode.HALF_EVEN).movePointLeft(digits).setScale(digits, RoundingMode.UNNECESSARY);
            case COUNT -> v.setScale(0, RoundingMode.HALF_EVEN);
            case DECIMAL, PERCENT, RATIO -> v.setScale(2, RoundingMode.HALF_EVEN);
            default -> v;
        };
    }

    /** Sorts by "-romi_pct,channel"-style columns; unknown columns are a 400 naming sort. */
    List<Map<String, Object>> sorted(List<Map<String, Object>> rows, String sort, String defaultSort) {
        String spec = sort == null || sort.isBlank() ? defaultSort : sort;
        Comparator<Map<String, Object>> order = null;
        for (String part : spec.split(",")) {
            String p = part.strip();
            boolean desc = p.startsWith("-");
            String name = desc || p.startsWith("+") ? p.substring(1) : p;
            if (columns.stream().noneMatch(c -> c.name().equals(name))) {
                throw ProblemException.invalidField("sort", "has an unknown column \"" + name + "\" (columns: "
                        + String.join(", ", columns.stream().map(Column::name).toList()) + ")");
            }
            Comparator<Map<String, Object>> one = (a, b) -> compare(a.get(name), b.get(name), desc);
            order = order == null ? one : order.thenComparing(one);
        }
        for (Column c : columns) {
            if (c.type() == Type.KEY) {
                Comparator<Map<String, Object>> byKey = Comparator.comparing(r -> String.valueOf(r.get(c.name())));
                order = order == null ? byKey : order.thenComparing(byKey);
            }
        }
        List<Map<String, Object>> out = new ArrayList<>(rows);
        if (order != null) {
            out.sort(order);
        }
        return out;
    }

    private static int compare(Object a, Object b, boolean desc) {
        BigDecimal x = number(a);
        BigDecimal y = number(b);
        if (x == null || y == null) {
            if (x == null && y == null) {
                if (a instanceof String s && b instanceof String t) {
                    return desc ? t.compareTo(s) : s.compareTo(t);
                }
                return 0;
            }
            return x == null ? 1 : -1;
        }
        return desc ? y.compareTo(x) : x.compareTo(y);
    }

    private static BigDecimal number(Object v) {
        if (v instanceof BigDecimal b) {
            return b;
        }
        if (v instanceof Figure f) {
            return f.value();
        }
        return null;
    }

    /** A page of the sorted rows after the cursor: its rows and the next cursor (null on the last page). */
    record Slice(List<Map<String, Object>> rows, String nextCursor) {
    }

    static Slice page(List<Map<String, Object>> sorted, int limit, String cursor, String fingerprint) {
        int offset = 0;
        if (cursor != null && !cursor.isBlank()) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
                if (!parts[1].equals(fingerprint)) {
                    throw new IllegalArgumentException("another query's cursor");
                }
                offset = Integer.parseInt(parts[0]);
            } catch (RuntimeException e) {
                throw ProblemException.invalidField("cursor", "is not a cursor this report returned for these parameters");
            }
        }
        int end = Math.min(sorted.size(), offset + limit);
        String next = end < sorted.size() ? Base64.getUrlEncoder().withoutPadding().encodeToString((end + "|" + fingerprint)
                .getBytes(StandardCharsets.UTF_8)) : null;
        return new Slice(offset >= sorted.size() ? List.of() : sorted.subList(offset, end), next);
    }

    /** The rows as CSV (UTF-8 with a byte order mark, so Excel reads it as such): the columns' names, then one line per row. */
    String csv(List<Map<String, Object>> rows, char delimiter) {
        StringWriter out = new StringWriter();
        out.write('\uFEFF');
        try (CSVPrinter p = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setRecordSeparator("\r\n").get())) {
            p.printRecord(columns.stream().map(Column::name).toList());
            for (Map<String, Object> row : rows) {
                Map<String, Object> shown = json(row);
                List<String> cells = new ArrayList<>(columns.size());
                for (Column c : columns) {
                    Object v = shown.get(c.name());
                    cells.add(v == null ? "" : v instanceof BigDecimal b ? decimal(b, delimiter) : String.valueOf(v));
                }
                p.printRecord(cells);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /** With semicolons (Excel in comma-decimal locales), decimals get a comma. */
    private static String decimal(BigDecimal b, char delimiter) {
        String s = b.toPlainString();
        return delimiter == ';' ? s.replace('.', ',') : s;
    }
}
