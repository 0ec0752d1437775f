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
 * the month (what overheads are allocated by), filtered by period and keys. Money stays in its own currency: rows in
 * the workspace currency are summed per month, rows in another per day, so that each is converted at its own day's
 * rate. Group keys and filters are whitelisted columns; values travel as parameters.
 */
@ApplicationScoped
public class ReportQueries {

    public static final List<String> KEYS = List.of("channel", "source", "medium", "campaign", "keyword");

    /** An aggregate table, the day column it is cut by, its measures (name -> SQL), which are money, whether it has sites. */
    public record Source(String table, String dayColumn, Map<String, String> measures, List<String> money, boolean sites) {
    }

    public static final Source SPEND = new Source("ad_spend", "day", measures("cost", "sum(cost_minor)", "impressions", "sum(impressions)", "clicks",
            "sum(clicks)", "cabinet_conversions", "COALESCE(sum(conversions), 0)"), List.of("cost"), false);
    public static final Source TRAFFIC = new Source("traffic_daily", "day", measures("sessions", "sum(sessions)", "bot_sessions", "sum(bot_sessions)"),
            List.of(), true);
    /** Leads: clean ones are candidates whose previous contact lies before the period (parameter 1: the period's first day). */
    public static final Source LEADS = new Source("lead_daily", "day", measures("leads_raw", "sum(raw)", "junk_leads", "sum(junk)", "returning_customers",
            "sum(returning_leads)", "leads", "COALESCE(sum(candidates) FILTER (WHERE prev_day < CAST(:from AS date)), 0)", "duplicates",
            "COALESCE(sum(raw_candidates) FILTER (WHERE prev_day >= CAST(:from AS date)), 0)"), List.of(), true);
    public static final Source CALLS = new Source("call_daily", "day", measures("calls", "sum(calls)", "inbound_calls", "sum(inbound)", "answered_calls",
            "sum(answered)", "target_calls", "sum(target)", "unique_calls", "sum(first_time)", "missed_calls", "sum(missed)", "called_back",
            "sum(called_back)", "spam_calls", "sum(spam)", "unmatched_calls", "sum(unmatched)", "talk_seconds", "sum(talk_seconds)"), List.of(), true);
    public static final Source DEALS = new Source("deal_daily", "day", measures("deals", "sum(deals)", "won_deals", "sum(won)", "lost_deals", "sum(lost)",
            "paid_deals_created", "sum(paid)", "won_unpaid_deals", "sum(won_unpaid)", "deals_without_touchpoint", "sum(no_touchpoint)", "deal_amount",
            "sum(amount_minor)"), List.of("deal_amount"), false);
    /** Credits of one series (parameter: the series). */
    public static final Source CREDITS = new Source("credit_totals", "day", measures("conversions", "sum(conversions)", "revenue", "sum(revenue_minor)",
            "gross_profit", "sum(gross_profit_minor)", "paid_deals", "sum(paid_deals)", "new_customers", "sum(new_customers)"),
            List.of("revenue", "gross_profit"), false);

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
        List<String> columns = groupBy.stream().filter(KEYS::contains).toList();
        StringBuilder sql = new StringBuilder("SELECT ");
        for (String k : columns) {
            sql.append(k).append(" AS k_").append(k).append(", ");
        }
        boolean money = !source.money().isEmpty();
        sql.append("channel AS k__channel, CAST(date_trunc('month', ").append(source.dayColumn()).append(") AS date) AS k__month");
        if (money) {
            sql.append(", CASE WHEN currency = :currency THEN NULL ELSE ").append(source.dayColumn()).append(" END AS k__day, currency AS k__currency");
        }
        for (Map.Entry<String, String> m : source.measures().entrySet()) {
            sql.append(", ").append(m.getValue()).append(" AS m_").append(m.getKey());
        }
        sql.append(" FROM ").append(source.table()).append(" WHERE tenant_id = :tenant AND ").append(source.dayColumn())
                .append(" BETWEEN CAST(:from AS date) AND CAST(:to AS date)");
        if (source == CREDITS) {
            sql.append(" AND series = :series");
        }
        List<Object> params = new ArrayList<>();
        for (Map.Entry<String, List<String>> f : filter.keys().entrySet()) {
            if (KEYS.contains(f.getKey()) && !f.getValue().isEmpty()) {
                sql.append(" AND ").append(f.getKey()).append(" = ANY(:").append(f.getKey()).append(")");
            }
        }
        if (source.sites() && filter.siteKey() != null) {
            sql.append(" AND site_key = :site");
        }
        sql.append(" GROUP BY ");
        for (String k : columns) {
            sql.append("k_").append(k).append(", ");
        }
        sql.append("k__channel, k__month");
        if (money) {
            sql.append(", k__day, k__currency");
        }
        String text = bind(sql.toString(), params, tenantId, filter, workspaceCurrency);
        return Sql.transaction(db, c -> Sql.query(c, text, rs -> {
            List<String> keys = new ArrayList<>(columns.size());
            for (String k : columns) {
                keys.add(rs.getString("k_" + k));
            }
            Map<String, BigDecimal> measures = new LinkedHashMap<>();
            for (String m : source.measures().keySet()) {
                BigDecimal v = rs.getBigDecimal("m_" + m);
                measures.put(m, v == null ? BigDecimal.ZERO : v);
            }
            Date day = money ? rs.getDate("k__day") : null;
            return new Cell(keys, rs.getString("k__channel"), YearMonth.from(rs.getDate("k__month").toLocalDate()), day == null ? null : day.toLocalDate(),
                    money ? rs.getString("k__currency").trim() : workspaceCurrency, measures);
        }, params.toArray()));
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

    public List<CohortMoney> cohortMoney(String tenantId, YearMonth from, YearMonth to, Map<String, List<String>> filters, List<String> groupBy,
            String workspaceCurrency) {
        List<String> columns = groupBy.stream().filter(KEYS::contains).toList();
        StringBuilder sql = new StringBuilder("SELECT ");
        columns.forEach(k -> sql.append(k).append(" AS k_").append(k).append(", "));
        sql.append("cohort_month AS k__cohort, CAST((extract(year FROM age(date_trunc('month', day), cohort_month)) * 12 + extract(month FROM age(date_trunc('month',"
                + " day), cohort_month))) AS integer) AS k__offset, CASE WHEN currency = :currency THEN NULL ELSE day END AS k__day, currency AS k__currency,"
                + " sum(revenue_minor) AS revenue, sum(gross_profit_minor) AS gross, sum(purchases) AS purchases FROM cohort_revenue"
                + " WHERE tenant_id = :tenant AND cohort_month BETWEEN CAST(:from AS date) AND CAST(:to AS date)");
        List<Object> params = new ArrayList<>();
        String text = cohortWhere(sql, filters, columns, "k__cohort, k__offset, k__day, k__currency");
        Filter f = new Filter(from.atDay(1), to.atDay(1), filters, null, null);
        return Sql.transaction(db, c -> Sql.query(c, bind(text, params, tenantId, f, workspaceCurrency), rs -> {
            Date day = rs.getDate("k__day");
            return new CohortMoney(keys(rs, columns), YearMonth.from(rs.getDate("k__cohort").toLocalDate()), rs.getInt("k__offset"),
                    day == null ? null : day.toLocalDate(), rs.getString("k__currency").trim(), rs.getBigDecimal("revenue"), rs.getBigDecimal("gross"),
                    rs.getBigDecimal("purchases"));
        }, params.toArray()));
    }

    public List<CohortPeople> cohortPeople(String tenantId, YearMonth from, YearMonth to, Map<String, List<String>> filters, List<String> groupBy) {
        List<String> columns = groupBy.stream().filter(KEYS::contains).toList();
        StringBuilder sql = new StringBuilder("SELECT ");
        columns.forEach(k -> sql.append(k).append(" AS k_").append(k).append(", "));
        sql.append("cohort_month AS k__cohort, offset_month AS k__offset, sum(active) AS active, sum(second_purchases) AS second FROM cohort_people"
                + " WHERE tenant_id = :tenant AND cohort_month BETWEEN CAST(:from AS date) AND CAST(:to AS date)");
        List<Object> params = new ArrayList<>();
        String text = cohortWhere(sql, filters, columns, "k__cohort, k__offset");
        Filter f = new Filter(from.atDay(1), to.atDay(1), filters, null, null);
        return Sql.transaction(db, c -> Sql.query(c, bind(text, params, tenantId, f, null), rs -> new CohortPeople(keys(rs, columns),
                YearMonth.from(rs.getDate("k__cohort").toLocalDate()), rs.getInt("k__offset"), rs.getBigDecimal("active"), rs.getBigDecimal("second")),
                params.toArray()));
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
            keys.add(rs.getString("k_" + k));
        }
        return keys;
    }

    /** Replaces :name parameters by ? in order of appearance, collecting their values. */
    private static String bind(String sql, List<Object> params, String tenantId, Filter filter, String currency) {
        StringBuilder out = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(":([a-z]+)").matcher(sql);
        while (m.find()) {
            String name = m.group(1);
            Object value = switch (name) {
                case "tenant" -> tenantId;
                case "from" -> Date.valueOf(filter.from());
                case "to" -> Date.valueOf(filter.to());
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
