package io.throughline.reporting.store;

import io.throughline.commons.sql.Sql;
import io.throughline.reporting.domain.facts.TrafficFact;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;

/** Sessions per day (tracking's counts): the days a refresh covers are replaced as a whole. */
final class TrafficStore {

    private TrafficStore() {
    }

    static void replace(Connection c, String tenantId, LocalDate from, LocalDate to, List<TrafficFact> rows) throws SQLException {
        // The months of the rows replaced and of the new ones (the range itself may reach back years).
        MonthTwins.touched(c, "traffic_daily", tenantId, Sql.query(c, "SELECT DISTINCT month FROM traffic_daily WHERE tenant_id = ? AND day BETWEEN ? AND ?",
                rs -> rs.getDate(1).toLocalDate(), tenantId, Date.valueOf(from), Date.valueOf(to)));
        MonthTwins.touched(c, "traffic_daily", tenantId, rows.stream().map(TrafficFact::day).filter(d -> !d.isBefore(from) && !d.isAfter(to)).toList());
        Sql.update(c, "DELETE FROM traffic_daily WHERE tenant_id = ? AND day BETWEEN ? AND ?", tenantId, Date.valueOf(from), Date.valueOf(to));
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO traffic_daily AS t (tenant_id, day, site_key, channel, source, medium, campaign, keyword, sessions, bot_sessions)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, day, site_key, channel, source, medium, campaign, keyword)
                DO UPDATE SET sessions = t.sessions + EXCLUDED.sessions, bot_sessions = t.bot_sessions + EXCLUDED.bot_sessions""")) {
            for (TrafficFact r : rows) {
                if (r.day().isBefore(from) || r.day().isAfter(to)) {
                    continue;
                }
                Object[] v = {tenantId, Date.valueOf(r.day()), r.siteKey(), r.keys().channel(), r.keys().source(), r.keys().medium(), r.keys().campaign(),
                        r.keys().keyword(), r.sessions(), r.botSessions()};
                for (int i = 0; i < v.length; i++) {
                    s.setObject(i + 1, v[i]);
                }
                s.addBatch();
            }
            s.executeBatch();
        }
        SiteStore.remember(c, tenantId, rows.stream().map(r -> new String[] {r.siteId(), r.siteKey()}).toList());
    }
}
