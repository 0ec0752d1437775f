package io.throughline.reporting.store;

import io.throughline.commons.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Date;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Reads of the aggregate tables for reports: one query per source, summed by the requested keys plus the channel and
 * the month (what overheads are allocated by), filtered by period and keys. The period's whole months are read from
 * the source's monthly twin, its partial months from the daily table. Money stays in its own currency: rows in
 * the workspace currency are summed per month, rows in another per day, so that each is converted at its own day's
 * rate. Group keys and filters are whitelisted columns; values travel as parameters.
 */
@ApplicationScoped
public class ReportQueries {

    public static final List<String> KEYS = List.of("channel", "source", "medium", "campaign", "keyword");
    /** Time keys a trend groups by besides the keys: the day, or the month ("2026-09"). */
    public static final List<String> TIME_KEYS = List.of("day", "month");

    /**
     * An aggregate table (with a monthly twin, {@link MonthTwins}), the raw columns its measures read, its measures (name -> SQL over
     * those columns), which are money, whether it has sites.
     */
    public record Source(String table, List<String> columns, Map<String, String> measures, List<String> money, boolean sites) {
    }

    public static final Source SPEND = new Source("ad_spend", List.of("impressions", "clicks", "cost_minor", "conversions"),
            measures("cost", "sum(cost_minor)", "impressions", "sum(impressions)", "clicks", "sum(clicks)", "cabinet_conversions",
                    "COALESCE(sum(conversions), 0)"), List.of("cost"), false);
    public static final Source TRAFFIC = new Source("traffic_daily", List.of("sessions", "bot_sessions"),
            measures("sessions", "sum(sessions)", "bot_sessions", "sum(bot_sessions)"), List.of(), true);
    /** Leads: clean ones are candidates whose previous contact lies before the period (parameter 1: the period's first day). */
    public static final Source LEADS = new Source("lead_daily", List.of("prev_day", "raw", "junk", "returning_leads", "candidates",
            "raw_candidates"), measures("leads_raw", "sum(raw)", "junk_leads", "sum(junk)", "returning_customers", "sum(returning_leads)", "leads",
                    "COALESCE(sum(candidates) FILTER (WHERE prev_day < CAST(:from AS date)), 0)", "duplicates",
                    "COALESCE(sum(raw_candidates) FILTER (WHERE prev_day >= CAST(:from AS date)), 0)"), List.of(), true);
    public static final Source CALLS = new Source("call_daily", List.of("calls", "inbound", "answered", "target", "first_time", "missed",
            "called_back", "spam", "unmatched", "talk_seconds"), measures("calls", "sum(calls)", "inbound_calls", "sum(inbound)", "answered_calls",
                    "sum(answered)", "target_calls", "sum(target)", "unique_calls", "sum(first_time)", "missed_calls", "sum(missed)", "called_back",
                    "sum(called_back)", "spam_calls", "sum(spam)", "unmatched_calls", "sum(unmatched)", "talk_seconds", "sum(talk_seconds)"), List.of(), true);
    public static final Source DEALS = new Source("deal_daily", List.of("deals", "won", "lost", "paid", "won_unpaid", "no_touchpoint",
            "amount_minor"), measures("deals", "sum(deals)", "won_deals", "sum(won)", "lost_deals", "sum(lost)", "paid_deals_created", "sum(paid)",
                    "won_unpaid_deals", "sum(won_unpaid)", "deals_without_touchpoint", "sum(no_touchpoint)", "deal_amount", "sum(amount_minor)"),
            List.of("deal_amount"), false);
    /** Credits of one series (parameter: the series). */
    public static final Source CREDITS = new Source("credit_totals", List.of("conversions", "revenue_minor", "gross_profit_minor",
            "paid_deals", "new_customers"), measures("conversions", "sum(conversions)", "revenue", "sum(revenue_minor)", "gross_profit",
                    "sum(gross_profit_minor)", "paid_deals", "sum(paid_deals)", "new_customers", "sum(new_customers)"), List.of("revenue", "gross_profit"),
            false);

    /** Which rows: the period, key filters (lists of accepted values), the site (sources without sites ignore it), a series. */
    public record Filter(LocalDate from, LocalDate to, Map<String, List<String>> keys, String siteKey, String series) {
    }

    /** One group's figures in one month (and, for money in another currency, one day). */
    public record Cell(List<String> keys, String channel, YearMonth month, LocalDate day, String currency, Map<String, BigDecimal> measures) {
    }

    private final DataSource db;

    public ReportQueries(DataSource db) {
        this.db = db;
    }

    public List<Cell> cells(String tenantId, Source source, Filter filter, List<String> groupBy, String workspaceCurrency) {
        List<String> columns = groupBy.stream().filter(k -> KEYS.contains(k) || TIME_KEYS.contains(k)).toList();
        boolean byDay = groupBy.contains("day");
        boolean money = !source.money().isEmpty();
        String twin = MonthTwins.BY_DAILY.get(source.table()).monthly();
        // The period's whole months come from the monthly twin (amounts in the workspace currency) unless the month is stale;
        // its partial months, stale months and other currencies from the daily table. Marks and rows at one snapshot.
        LocalDate fullFrom = filter.from().getDayOfMonth() == 1 ? filter.from() : filter.from().withDayOfMonth(1).plusMonths(1);
        LocalDate fullTo = filter.to().equals(YearMonth.from(filter.to()).atEndOfMonth()) ? filter.to() : filter.to().withDayOfMonth(1).minusDays(1);
        return Sql.transaction(db, c -> {
            Sql.update(c, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            List<LocalDate[]> days = new ArrayList<>();
            List<LocalDate> clean = new ArrayList<>();
            List<String> foreign = List.of();
            if (fullFrom.isAfter(fullTo) || byDay) {
                // By day: the daily table alone (a monthly twin knows no days).
                days.add(new LocalDate[] {filter.from(), filter.to()});
            } else {
                if (filter.from().isBefore(fullFrom)) {
                    days.add(new LocalDate[] {filter.from(), fullFrom.minusDays(1)});
                }
                if (filter.to().isAfter(fullTo)) {
                    days.add(new LocalDate[] {fullTo.plusDays(1), filter.to()});
                }
                java.util.Set<LocalDate> stale = new java.util.HashSet<>(Sql.query(c, "SELECT month FROM month_twins_stale WHERE daily = ? AND tenant_id = ?"
                        + " AND month BETWEEN ? AND ?", rs -> rs.getDate(1).toLocalDate(), source.table(), tenantId, Date.valueOf(fullFrom),
                        Date.valueOf(fullTo)));
                for (LocalDate m = fullFrom; !m.isAfter(fullTo); m = m.plusMonths(1)) {
                    if (stale.contains(m)) {
                        days.add(new LocalDate[] {m, m.plusMonths(1).minusDays(1)});
                    } else {
                        clean.add(m);
                    }
                }
                if (money && !clean.isEmpty()) {
                    foreign = Sql.query(c, "SELECT DISTINCT currency FROM " + twin + " WHERE tenant_id = ? AND month BETWEEN ? AND ? AND currency <> ?",
                            rs -> rs.getString(1).trim(), tenantId, Date.valueOf(fullFrom), Date.valueOf(fullTo), workspaceCurrency);
                }
            }
            StringBuilder sql = new StringBuilder("SELECT ");
            for (String k : columns) {
                sql.append(k).append(" AS k_").append(k).append(", ");
            }
            sql.append("channel AS k__channel, month AS k__month");
            if (money) {
                sql.append(", CASE WHEN currency = :currency THEN NULL ELSE day END AS k__day, currency AS k__currency");
            }
            for (Map.Entry<String, String> m : source.measures().entrySet()) {
                sql.append(", ").append(m.getValue()).append(" AS m_").append(m.getKey());
            }
            sql.append(" FROM (");
            List<String> parts = new ArrayList<>();
            if (!days.isEmpty()) {
                parts.add(part(source, source.table(), "day", "(" + String.join(" OR ", days.stream().map(r -> "day BETWEEN DATE '" + r[0] + "' AND DATE '"
                        + r[1] + "'").toList()) + ")", filter, money));
            }
            if (!clean.isEmpty()) {
                String months = clean.stream().map(m -> "DATE '" + m + "'").collect(java.util.stream.Collectors.joining(", "));
                parts.add(part(source, twin, "CAST(NULL AS date)", "month IN (" + months + ")" + (money ? " AND currency = :currency" : ""), filter, money));
                if (!foreign.isEmpty()) {
                    // Other currencies are converted at each day's rate: their days, from the daily table.
                    parts.add(part(source, source.table(), "day", "day BETWEEN DATE '" + clean.get(0) + "' AND DATE '" + clean.get(clean.size() - 1)
                            .plusMonths(1).minusDays(1) + "' AND month IN (" + months + ") AND currency = ANY(:foreign)", filter, money));
                }
            }
            sql.append(String.join(" UNION ALL ", parts)).append(") AS rows_read GROUP BY ");
            for (String k : columns) {
                sql.append("k_").append(k).append(", ");
            }
            sql.append("k__channel, k__month");
            if (money) {
                sql.append(", k__day, k__currency");
            }
            List<Object> params = new ArrayList<>();
            String text = bind(sql.toString(), params, tenantId, filter, workspaceCurrency, Map.of("foreign", foreign.toArray(String[]::new)));
            Map<List<String>, List<String>> canonical = new java.util.HashMap<>();
            return Sql.query(c, text, rs -> {
                List<String> keys = keys(rs, columns, canonical);
                Map<String, BigDecimal> measures = new LinkedHashMap<>();
                for (String m : source.measures().keySet()) {
                    BigDecimal v = rs.getBigDecimal("m_" + m);
                    measures.put(m, v == null ? BigDecimal.ZERO : v);
                }
                Date day = money ? rs.getDate("k__day") : null;
                return new Cell(keys, rs.getString("k__channel"), YearMonth.from(rs.getDate("k__month").toLocalDate()), day == null ? null
                        : day.toLocalDate(), money ? rs.getString("k__currency").trim() : workspaceCurrency, measures);
            }, params.toArray());
        });
    }

    /** One table's rows of a part of the period: the keys, month and day, currency, the measures' columns; filtered. */
    private static String part(Source source, String table, String day, String period, Filter filter, boolean money) {
        StringBuilder sql = new StringBuilder("SELECT ").append(String.join(", ", KEYS)).append(", month, ").append(day).append(" AS day");
        if (money) {
            sql.append(", currency");
        }
        source.columns().forEach(c -> sql.append(", ").append(c));
        sql.append(" FROM ").append(table).append(" WHERE tenant_id = :tenant AND ").append(period);
        if (source == CREDITS) {
            sql.append(" AND series = :series");
        }
        for (Map.Entry<String, List<String>> f : filter.keys().entrySet()) {
            if (KEYS.contains(f.getKey()) && !f.getValue().isEmpty()) {
                sql.append(" AND ").append(f.getKey()).append(" = ANY(:").append(f.getKey()).append(")");
            }
        }
        if (source.sites() && filter.siteKey() != null) {
            sql.append(" AND site_key = :site");
        }
        return sql.toString();
    }

    /** Deals of one key set that reached a stage (and, lost, their reason), with the time they spent in it. */
    public record FunnelCell(List<String> keys, String stage, String lossReason, BigDecimal deals, BigDecimal stageSeconds, BigDecimal stageExits) {
    }

    public List<FunnelCell> funnel(String tenantId, Filter filter, List<String> groupBy) {
        List<String> columns = groupBy.stream().filter(KEYS::contains).toList();
        StringBuilder sql = new StringBuilder("SELECT ");
        columns.forEach(k -> sql.append(k).append(" AS k_").append(k).append(", "));
        sql.append("stage AS k__stage, loss_reason AS k__reason, sum(deals) AS deals, sum(stage_seconds) AS seconds, sum(stage_exits) AS exits"
                + " FROM funnel_daily WHERE tenant_id = :tenant AND day BETWEEN CAST(:from AS date) AND CAST(:to AS date)");
        List<Object> params = new ArrayList<>();
        String text = bind(cohortWhere(sql, filter.keys(), columns, "k__stage, k__reason"), params, tenantId, filter, null);
        return Sql.transaction(db, c -> Sql.query(c, text, rs -> new FunnelCell(keys(rs, columns), rs.getString("k__stage"), rs.getString("k__reason"),
                rs.getBigDecimal("deals"), rs.getBigDecimal("seconds"), rs.getBigDecimal("exits")), params.toArray()));
    }

    /** One manager's deals created in the period, and what their deals received in it (per currency and, when foreign, day). */
    public record ManagerCell(String manager, Map<String, BigDecimal> measures) {
    }

    public record ManagerMoney(String manager, LocalDate day, String currency, BigDecimal revenueMinor) {
    }

    public List<ManagerCell> managers(String tenantId, Filter filter) {
        String sql = "SELECT manager, sum(deals) AS deals, sum(responded) AS responded, sum(response_seconds) AS response_seconds, sum(won) AS won,"
                + " sum(paid) AS paid, sum(cycles) AS cycles, sum(cycle_seconds) AS cycle_seconds, sum(closed) AS closed, sum(closed_few_touches)"
                + " AS closed_few_touches FROM manager_daily WHERE tenant_id = ? AND day BETWEEN ? AND ? GROUP BY manager";
        return Sql.transaction(db, c -> Sql.query(c, sql, rs -> {
            Map<String, BigDecimal> m = new LinkedHashMap<>();
            for (String k : List.of("deals", "responded", "response_seconds", "won", "paid", "cycles", "cycle_seconds", "closed", "closed_few_touches")) {
                m.put(k, rs.getBigDecimal(k));
            }
            return new ManagerCell(rs.getString("manager"), m);
        }, tenantId, Date.valueOf(filter.from()), Date.valueOf(filter.to())));
    }

    public List<ManagerMoney> managerRevenue(String tenantId, Filter filter, String workspaceCurrency) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT manager, CASE WHEN currency = ? THEN NULL ELSE day END AS d, currency, sum(revenue_minor) AS"
                + " revenue FROM manager_revenue WHERE tenant_id = ? AND day BETWEEN ? AND ? GROUP BY manager, d, currency", rs -> {
                    Date d = rs.getDate("d");
                    return new ManagerMoney(rs.getString("manager"), d == null ? filter.from() : d.toLocalDate(), rs.getString("currency").trim(),
                            rs.getBigDecimal("revenue"));
                }, workspaceCurrency, tenantId, Date.valueOf(filter.from()), Date.valueOf(filter.to())));
    }

    /** Cohort money of one acquisition key set, cohort month and month offset (per day when in another currency). */
    public record CohortMoney(List<String> keys, YearMonth cohort, int offset, LocalDate day, String currency, BigDecimal revenueMinor,
            BigDecimal grossProfitMinor, BigDecimal purchases) {
    }

    /** Customers of one acquisition key set and cohort month who paid in the month at the offset, or made their second purchase then. */
    public record CohortPeople(List<String> keys, YearMonth cohort, int offset, BigDecimal active, BigDecimal secondPurchases) {
    }

    /** Streams the cohort money rows (one workspace's cohorts can be hundreds of thousands of rows: never all in memory). */
    public void cohortMoney(String tenantId, YearMonth from, YearMonth to, Map<String, List<String>> filters, List<String> groupBy,
            String workspaceCurrency, java.util.function.Consumer<CohortMoney> sink) {
        List<String> columns = groupBy.stream().filter(KEYS::contains).toList();
        StringBuilder sql = new StringBuilder("SELECT ");
        columns.forEach(k -> sql.append(k).append(" AS k_").append(k).append(", "));
        sql.append("cohort_month AS k__cohort, (CAST(EXTRACT(YEAR FROM day) AS integer) - CAST(EXTRACT(YEAR FROM cohort_month) AS integer)) * 12"
                + " + CAST(EXTRACT(MONTH FROM day) AS integer) - CAST(EXTRACT(MONTH FROM cohort_month) AS integer) AS k__offset,"
                + " CASE WHEN currency = :currency THEN NULL ELSE day END AS k__day, currency AS k__currency,"
                + " sum(revenue_minor) AS revenue, sum(gross_profit_minor) AS gross, sum(purchases) AS purchases FROM cohort_revenue"
                + " WHERE tenant_id = :tenant AND cohort_month BETWEEN CAST(:from AS date) AND CAST(:to AS date)");
        List<Object> params = new ArrayList<>();
        String text = cohortWhere(sql, filters, columns, "k__cohort, k__offset, k__day, k__currency");
        Filter f = new Filter(from.atDay(1), to.atDay(1), filters, null, null);
        String bound = bind(text, params, tenantId, f, workspaceCurrency);
        Map<List<String>, List<String>> canonical = new java.util.HashMap<>();
        stream(bound, params, rs -> {
            Date day = rs.getDate("k__day");
            sink.accept(new CohortMoney(keys(rs, columns, canonical), YearMonth.from(rs.getDate("k__cohort").toLocalDate()), rs.getInt("k__offset"),
                    day == null ? null : day.toLocalDate(), rs.getString("k__currency").trim(), rs.getBigDecimal("revenue"), rs.getBigDecimal("gross"),
                    rs.getBigDecimal("purchases")));
        });
    }

    /** Streams the cohort people rows. */
    public void cohortPeople(String tenantId, YearMonth from, YearMonth to, Map<String, List<String>> filters, List<String> groupBy,
            java.util.function.Consumer<CohortPeople> sink) {
        List<String> columns = groupBy.stream().filter(KEYS::contains).toList();
        StringBuilder sql = new StringBuilder("SELECT ");
        columns.forEach(k -> sql.append(k).append(" AS k_").append(k).append(", "));
        sql.append("cohort_month AS k__cohort, offset_month AS k__offset, sum(active) AS active, sum(second_purchases) AS second FROM cohort_people"
                + " WHERE tenant_id = :tenant AND cohort_month BETWEEN CAST(:from AS date) AND CAST(:to AS date)");
        List<Object> params = new ArrayList<>();
        String text = cohortWhere(sql, filters, columns, "k__cohort, k__offset");
        Filter f = new Filter(from.atDay(1), to.atDay(1), filters, null, null);
        String bound = bind(text, params, tenantId, f, null);
        Map<List<String>, List<String>> canonical = new java.util.HashMap<>();
        stream(bound, params, rs -> sink.accept(new CohortPeople(keys(rs, columns, canonical), YearMonth.from(rs.getDate("k__cohort").toLocalDate()),
                rs.getInt("k__offset"), rs.getBigDecimal("active"), rs.getBigDecimal("second"))));
    }

    private interface RowSink {
        void accept(java.sql.ResultSet rs) throws java.sql.SQLException;
    }

    /** Runs a query reading its rows in chunks (a cursor), handing each to the sink. */
    private void stream(String sql, List<Object> params, RowSink sink) {
        Sql.transaction(db, c -> {
            try (java.sql.PreparedStatement s = Sql.prepare(c, sql, params.toArray())) {
                s.setFetchSize(5000);
                try (java.sql.ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(rs);
                    }
                }
            }
            return null;
        });
    }

    private static String cohortWhere(StringBuilder sql, Map<String, List<String>> filters, List<String> columns, String extraGroups) {
        for (Map.Entry<String, List<String>> e : filters.entrySet()) {
            if (KEYS.contains(e.getKey()) && !e.getValue().isEmpty()) {
                sql.append(" AND ").append(e.getKey()).append(" = ANY(:").append(e.getKey()).append(")");
            }
        }
        sql.append(" GROUP BY ");
        columns.forEach(k -> sql.append("k_").append(k).append(", "));
        sql.append(extraGroups);
        return sql.toString();
    }

    private static List<String> keys(java.sql.ResultSet rs, List<String> columns) throws java.sql.SQLException {
        List<String> keys = new ArrayList<>(columns.size());
        for (String k : columns) {
            String v = rs.getString("k_" + k);
            // A month key is the month, not its first day.
            keys.add("month".equals(k) && v != null ? v.substring(0, 7) : v);
        }
        return keys;
    }

    /** The row's key values, one list instance per distinct key set (rows of a key set share it). */
    private static List<String> keys(java.sql.ResultSet rs, List<String> columns, Map<List<String>, List<String>> canonical) throws java.sql.SQLException {
        List<String> keys = keys(rs, columns);
        return canonical.computeIfAbsent(keys, k -> List.copyOf(k));
    }

    /** Replaces :name parameters by ? in order of appearance, collecting their values. */
    private static String bind(String sql, List<Object> params, String tenantId, Filter filter, String currency) {
        return bind(sql, params, tenantId, filter, currency, Map.of());
    }

    private static String bind(String sql, List<Object> params, String tenantId, Filter filter, String currency, Map<String, Object> extra) {
        StringBuilder out = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(":([a-z]+)").matcher(sql);
        while (m.find()) {
            String name = m.group(1);
            Object value = switch (name) {
                case "tenant" -> tenantId;
                case "from" -> Date.valueOf(filter.from());
                case "to" -> Date.valueOf(filter.to());
                case "foreign" -> extra.get("foreign");
                case "currency" -> currency;
                case "series" -> filter.series();
                case "site" -> filter.siteKey();
                default -> filter.keys().get(name).toArray(String[]::new);
            };
            params.add(value);
            m.appendReplacement(out, "?");
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Map<String, String> measures(String... pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put(pairs[i], pairs[i + 1]);
        }
        return out;
    }
}
