package io.throughline.reporting.store;

import io.throughline.commons.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The monthly twins of the daily aggregate tables (V4). Every writer of a daily table marks the months it changed stale
 * in its own transaction ({@link #touched}); reports read stale months from the daily table; {@link #compact}
 * recomputes a stale month's twin from its days and clears the mark. The mark is upserted (a row lock), so a compaction
 * and a writer of the same month never miss each other: whichever comes second waits for the first to commit.
 */
@ApplicationScoped
public class MonthTwins {

    /** A daily table, its twin, the twin's key columns after tenant_id and month, and the measures summed into it. */
    public record Twin(String daily, String monthly, List<String> keys, List<String> measures) {
    }

    private static final List<String> K = List.of("channel", "source", "medium", "campaign", "keyword");

    public static final Twin SPEND = twin("ad_spend", "spend_monthly", List.of("channel", "source", "medium", "campaign", "keyword", "currency"),
            "impressions", "clicks", "cost_minor", "conversions");
    public static final Twin TRAFFIC = twin("traffic_daily", "traffic_monthly", cat("site_key"), "sessions", "bot_sessions");
    public static final Twin LEADS = twin("lead_daily", "lead_monthly", cat("prev_day", "site_key"), "raw", "junk", "returning_leads", "candidates",
            "raw_candidates");
    public static final Twin CALLS = twin("call_daily", "call_monthly", cat("site_key"), "calls", "inbound", "answered", "target", "first_time", "missed",
            "called_back", "spam", "unmatched", "talk_seconds");
    public static final Twin DEALS = twin("deal_daily", "deal_monthly", List.of("channel", "source", "medium", "campaign", "keyword", "currency"), "deals",
            "won", "lost", "paid", "won_unpaid", "no_touchpoint", "amount_minor");
    public static final Twin CREDITS = twin("credit_totals", "credit_monthly", List.of("series", "channel", "source", "medium", "campaign", "keyword",
            "currency"), "conversions", "revenue_minor", "gross_profit_minor", "paid_deals", "new_customers");
    public static final Map<String, Twin> BY_DAILY = List.of(SPEND, TRAFFIC, LEADS, CALLS, DEALS, CREDITS).stream()
            .collect(Collectors.toUnmodifiableMap(Twin::daily, Function.identity()));

    private final DataSource db;

    public MonthTwins(DataSource db) {
        this.db = db;
    }

    /** Marks the months of these days stale in the daily table's twin (call inside the writer's transaction). */
    public static void touched(Connection c, String daily, String tenantId, Collection<LocalDate> days) throws SQLException {
        TreeSet<LocalDate> months = new TreeSet<>();
        days.forEach(d -> months.add(d.withDayOfMonth(1)));
        if (months.isEmpty()) {
            return;
        }
        requireTwin(daily);
        // Sorted, so that concurrent writers lock the marks in the same order.
        try (PreparedStatement s = c.prepareStatement("INSERT INTO month_twins_stale (daily, tenant_id, month, marked_at)"
                + " SELECT ?, ?, m, clock_timestamp() FROM unnest(?) AS m ORDER BY m"
                + " ON CONFLICT (daily, tenant_id, month) DO UPDATE SET marked_at = EXCLUDED.marked_at")) {
            s.setString(1, daily);
            s.setString(2, tenantId);
            s.setArray(3, c.createArrayOf("date", months.stream().map(Date::valueOf).toArray()));
            s.executeUpdate();
        }
    }

    /** Marks every month of [from, to] stale. */
    public static void touchedBetween(Connection c, String daily, String tenantId, LocalDate from, LocalDate to) throws SQLException {
        List<LocalDate> months = new java.util.ArrayList<>();
        for (YearMonth m = YearMonth.from(from); !m.isAfter(YearMonth.from(to)); m = m.plusMonths(1)) {
            months.add(m.atDay(1));
        }
        touched(c, daily, tenantId, months);
    }

    /** Marks every month the workspace has rows in stale (before rows of any month are deleted or changed in bulk). */
    public static void touchedAll(Connection c, String daily, String tenantId) throws SQLException {
        requireTwin(daily);
        touched(c, daily, tenantId, Sql.query(c, "SELECT DISTINCT month FROM " + daily + " WHERE tenant_id = ?", rs -> rs.getDate(1).toLocalDate(),
                tenantId));
    }

    /** Recomputes up to {@code limit} stale months, each in its own transaction; how many it recomputed. */
    public int compact(int limit) {
        List<Object[]> stale = Sql.transaction(db, c -> Sql.query(c, "SELECT daily, tenant_id, month FROM month_twins_stale ORDER BY marked_at LIMIT ?",
                rs -> new Object[] {rs.getString(1), rs.getString(2), rs.getDate(3)}, limit));
        int done = 0;
        for (Object[] s : stale) {
            Twin t = BY_DAILY.get((String) s[0]);
            if (t == null) {
                Sql.transaction(db, c -> Sql.update(c, "DELETE FROM month_twins_stale WHERE daily = ?", s[0]));
                continue;
            }
            String tenant = (String) s[1];
            Date month = (Date) s[2];
            boolean recomputed = Sql.transaction(db, c -> {
                // SKIP LOCKED: a writer holding the mark has not committed yet; its month comes again in a later round.
                if (Sql.query(c, "SELECT 1 FROM month_twins_stale WHERE daily = ? AND tenant_id = ? AND month = ? FOR UPDATE SKIP LOCKED", rs -> 1,
                        t.daily(), tenant, month).isEmpty()) {
                    return false;
                }
                Sql.update(c, "DELETE FROM " + t.monthly() + " WHERE tenant_id = ? AND month = ?", tenant, month);
                String keys = String.join(", ", t.keys());
                Sql.update(c, "INSERT INTO " + t.monthly() + " (tenant_id, month, " + keys + ", " + String.join(", ", t.measures()) + ")"
                        + " SELECT tenant_id, month, " + keys + ", " + String.join(", ", t.measures().stream().map(m -> "sum(COALESCE(" + m + ", 0))")
                                .toList()) + " FROM " + t.daily() + " WHERE tenant_id = ? AND day BETWEEN ? AND ? GROUP BY tenant_id, month, " + keys,
                        tenant, month, Date.valueOf(month.toLocalDate().plusMonths(1).minusDays(1)));
                Sql.update(c, "DELETE FROM month_twins_stale WHERE daily = ? AND tenant_id = ? AND month = ?", t.daily(), tenant, month);
                return true;
            });
            done += recomputed ? 1 : 0;
        }
        return done;
    }

    /** How many months wait for their twin. */
    public long stale() {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT count(*) FROM month_twins_stale", rs -> rs.getLong(1)).get(0));
    }

    private static void requireTwin(String daily) {
        if (!BY_DAILY.containsKey(daily)) {
            throw new IllegalArgumentException("no monthly twin for " + daily);
        }
    }

    private static Twin twin(String daily, String monthly, List<String> keys, String... measures) {
        return new Twin(daily, monthly, keys, List.of(measures));
    }

    private static List<String> cat(String... first) {
        List<String> out = new java.util.ArrayList<>(List.of(first));
        out.addAll(K);
        return List.copyOf(out);
    }
}
