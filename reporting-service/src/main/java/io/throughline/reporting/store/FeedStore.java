package io.throughline.reporting.store;

import io.throughline.commons.sql.Sql;
import io.throughline.reporting.domain.facts.CallFact;
import io.throughline.reporting.domain.facts.ContactFact;
import io.throughline.reporting.domain.facts.CreditTotal;
import io.throughline.reporting.domain.facts.DealChange;
import io.throughline.reporting.domain.facts.DealFact;
import io.throughline.reporting.domain.facts.TrafficFact;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * What the feeds of the other services bring, stored with the aggregates they feed, and the cursors that say how far
 * each feed was read, moved in the same transaction: a page is applied exactly once even when two instances read the
 * same feed (the one whose cursor moved first wins, the other's transaction is rolled back).
 */
@ApplicationScoped
public class FeedStore {

    /** Another instance applied the page first. */
    public static final class Raced extends RuntimeException {
        Raced(String feed) {
            super("feed " + feed + " was advanced by another instance", null, false, false);
        }
    }

    /** The newest version of a series reporting holds, and how far its journeys were read. */
    public record SeriesState(String tenantId, String series, String model, int version, UUID runId, boolean isDefault, Instant cutoff,
            String conversionEvent, int journeysVersion, Instant syncedAt) {
    }

    /** A series version as attribution announces it. */
    public record SeriesVersion(String tenantId, String series, String model, int version, UUID runId, boolean isDefault, Instant cutoff,
            String conversionEvent) {
    }

    private final DataSource db;

    public FeedStore(DataSource db) {
        this.db = db;
    }

    public String cursor(String feed) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT value FROM feed_state WHERE name = ?", rs -> rs.getString(1), feed)).stream().findFirst()
                .orElse("");
    }

    /** The zone of every workspace with settings (the others are cut in the default zone). */
    public Map<String, ZoneId> zones() {
        return Sql.transaction(db, c -> {
            Map<String, ZoneId> out = new HashMap<>();
            Sql.query(c, "SELECT tenant_id, time_zone FROM reporting_settings", rs -> out.put(rs.getString(1), ZoneId.of(rs.getString(2))));
            return out;
        });
    }

    public ZoneId zone(String tenantId) {
        return SettingsStore.get(db, tenantId).zone();
    }

    public void applyDeals(String feed, String expected, String next, Map<String, List<DealChange>> byTenant) {
        page(feed, expected, next, c -> {
            for (Map.Entry<String, List<DealChange>> e : byTenant.entrySet()) {
                DealFacts.applyDeals(c, e.getKey(), zone(c, e.getKey()), e.getValue());
            }
        });
    }

    public void applyContacts(String feed, String expected, String next, Map<String, List<ContactFact>> byTenant) {
        page(feed, expected, next, c -> {
            for (Map.Entry<String, List<ContactFact>> e : byTenant.entrySet()) {
                ContactFacts.apply(c, e.getKey(), ZoneId.of(zone(c, e.getKey())), e.getValue());
            }
        });
    }

    public void applyCalls(String feed, String expected, String next, Map<String, List<CallFact>> byTenant) {
        page(feed, expected, next, c -> {
            for (Map.Entry<String, List<CallFact>> e : byTenant.entrySet()) {
                CallFacts.apply(c, e.getKey(), ZoneId.of(zone(c, e.getKey())), e.getValue());
            }
        });
    }

    /** Sets a feed's position outright (feeds that are recounted rather than read after a cursor). */
    public void advance(String feed, String value) {
        Sql.transaction(db, c -> Sql.update(c, "INSERT INTO feed_state (name, value, updated_at) VALUES (?, ?, now()) ON CONFLICT (name) DO UPDATE"
                + " SET value = EXCLUDED.value, updated_at = now()", feed, value));
    }

    /** Workspaces holding traffic since the day (a recount must clear days that lost their sessions). */
    public List<String> tenantsWithTraffic(Instant since) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT DISTINCT tenant_id FROM traffic_daily WHERE day >= ?", rs -> rs.getString(1),
                Date.valueOf(since.atZone(java.time.ZoneOffset.UTC).toLocalDate().minusDays(1))));
    }

    public void rememberSites(String tenantId, List<String[]> idAndKey) {
        Sql.transaction(db, c -> {
            SiteStore.remember(c, tenantId, idAndKey);
            return null;
        });
    }

    /** Traffic of the days [from, to] of a workspace, replacing what was held for them. */
    public void replaceTraffic(String tenantId, LocalDate from, LocalDate to, List<TrafficFact> rows) {
        Sql.transaction(db, c -> {
            TrafficStore.replace(c, tenantId, from, to, rows);
            return null;
        });
    }

    public Optional<SeriesState> series(String tenantId, String series) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM series_state WHERE tenant_id = ? AND series = ?", FeedStore::state, tenantId, series))
                .stream().findFirst();
    }

    public List<SeriesState> series(String tenantId) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM series_state WHERE tenant_id = ? ORDER BY is_default DESC, series", FeedStore::state,
                tenantId));
    }

    /**
     * A series' credit totals at version {@code v.version()}: in full (replacing what was held) or as a change to what
     * was held at {@code expectedVersion}. Fails with {@link Raced} when the held version is no longer the expected one.
     */
    public void applyCreditTotals(SeriesVersion v, int expectedVersion, boolean full, Iterator<CreditTotal> totals) {
        Sql.transaction(db, c -> {
            int held = Sql.query(c, "SELECT version FROM series_state WHERE tenant_id = ? AND series = ? FOR UPDATE", rs -> rs.getInt(1), v.tenantId(),
                    v.series()).stream().findFirst().orElse(0);
            if (held != expectedVersion) {
                throw new Raced("credits/" + v.tenantId() + "/" + v.series());
            }
            if (full) {
                MonthTwins.touched(c, "credit_totals", v.tenantId(), Sql.query(c, "SELECT DISTINCT month FROM credit_totals WHERE tenant_id = ? AND series = ?",
                        rs -> rs.getDate(1).toLocalDate(), v.tenantId(), v.series()));
                Sql.update(c, "DELETE FROM credit_totals WHERE tenant_id = ? AND series = ?", v.tenantId(), v.series());
            }
            MonthTwins.touched(c, "credit_totals", v.tenantId(), addTotals(c, v, totals));
            Sql.update(c, """
                    INSERT INTO series_state (tenant_id, series, model, version, run_id, is_default, cutoff, conversion_event, synced_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, now()) ON CONFLICT (tenant_id, series) DO UPDATE SET model = EXCLUDED.model,
                        version = EXCLUDED.version, run_id = EXCLUDED.run_id, is_default = EXCLUDED.is_default, cutoff = EXCLUDED.cutoff,
                        conversion_event = EXCLUDED.conversion_event, synced_at = now()""", v.tenantId(), v.series(), v.model(), v.version(), v.runId(),
                    v.isDefault(), v.cutoff(), v.conversionEvent());
            Sql.update(c, "DELETE FROM credit_totals WHERE tenant_id = ? AND series = ? AND conversions = 0 AND revenue_minor = 0 AND gross_profit_minor = 0"
                    + " AND paid_deals = 0 AND new_customers = 0", v.tenantId(), v.series());
            return null;
        });
    }

    /** Marks which series is the workspace's default (reports use it when they name no model). */
    public void markDefault(String tenantId, String series) {
        Sql.transaction(db, c -> Sql.update(c, """
                UPDATE series_state SET is_default = (series = ?), journeys_version = CASE WHEN series = ? THEN journeys_version ELSE 0 END
                 WHERE tenant_id = ?""", series, series, tenantId));
    }

    /** The default series' journeys as of {@code version}: applied, and how far they were read moved on. */
    public void applyJourneys(String tenantId, String series, int expectedVersion, int version, Map<String, DealFact.Journey> journeys, boolean last) {
        Sql.transaction(db, c -> {
            int held = Sql.query(c, "SELECT journeys_version FROM series_state WHERE tenant_id = ? AND series = ? FOR UPDATE", rs -> rs.getInt(1), tenantId,
                    series).stream().findFirst().orElse(-1);
            if (held != expectedVersion) {
                throw new Raced("journeys/" + tenantId + "/" + series);
            }
            if (!journeys.isEmpty()) {
                DealFacts.applyJourneys(c, tenantId, zone(c, tenantId), journeys);
            }
            if (last) {
                Sql.update(c, "UPDATE series_state SET journeys_version = ? WHERE tenant_id = ? AND series = ?", version, tenantId, series);
            }
            return null;
        });
    }

    /** Every aggregate cut by day again (the workspace's zone changed): from the facts held, and credits and traffic anew. */
    public void rebuild(String tenantId) {
        Sql.transaction(db, c -> {
            String zone = zone(c, tenantId);
            DealFacts.rebuild(c, tenantId, zone);
            CallFacts.rebuild(c, tenantId, ZoneId.of(zone));
            ContactFacts.rebuild(c, tenantId, ZoneId.of(zone));
            MonthTwins.touchedAll(c, "credit_totals", tenantId);
            MonthTwins.touchedAll(c, "traffic_daily", tenantId);
            Sql.update(c, "DELETE FROM credit_totals WHERE tenant_id = ?", tenantId);
            Sql.update(c, "DELETE FROM series_state WHERE tenant_id = ?", tenantId);
            Sql.update(c, "DELETE FROM traffic_daily WHERE tenant_id = ?", tenantId);
            return null;
        });
    }

    private interface PageWork {
        void run(Connection c) throws SQLException;
    }

    private void page(String feed, String expected, String next, PageWork work) {
        Sql.transaction(db, c -> {
            int moved = expected.isEmpty() && Sql.query(c, "SELECT 1 FROM feed_state WHERE name = ?", rs -> 1, feed).isEmpty()
                    ? Sql.update(c, "INSERT INTO feed_state (name, value, updated_at) VALUES (?, ?, now()) ON CONFLICT (name) DO NOTHING", feed, next)
                    : Sql.update(c, "UPDATE feed_state SET value = ?, updated_at = now() WHERE name = ? AND value = ?", next, feed, expected);
            if (moved != 1) {
                throw new Raced(feed);
            }
            work.run(c);
            return null;
        });
    }

    private static String zone(Connection c, String tenantId) throws SQLException {
        return SettingsStore.get(c, tenantId).zone().getId();
    }

    /** Adds the totals; the days they fell on. */
    private static java.util.Set<LocalDate> addTotals(Connection c, SeriesVersion v, Iterator<CreditTotal> totals) throws SQLException {
        java.util.Set<LocalDate> days = new java.util.HashSet<>();
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO credit_totals AS t (tenant_id, series, day, channel, source, medium, campaign, keyword, currency, conversions, revenue_minor,
                    gross_profit_minor, paid_deals, new_customers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, series, day, channel, source, medium, campaign, keyword, currency) DO UPDATE SET
                    conversions = t.conversions + EXCLUDED.conversions, revenue_minor = t.revenue_minor + EXCLUDED.revenue_minor,
                    gross_profit_minor = t.gross_profit_minor + EXCLUDED.gross_profit_minor, paid_deals = t.paid_deals + EXCLUDED.paid_deals,
                    new_customers = t.new_customers + EXCLUDED.new_customers""")) {
            int n = 0;
            while (totals.hasNext()) {
                CreditTotal t = totals.next();
                days.add(t.day());
                Object[] values = {v.tenantId(), v.series(), Date.valueOf(t.day()), t.keys().channel(), t.keys().source(), t.keys().medium(),
                        t.keys().campaign(), t.keys().keyword(), t.currency(), t.conversions(), t.revenueMinor(), t.grossProfitMinor(), t.paidDeals(),
                        t.newCustomers()};
                for (int i = 0; i < values.length; i++) {
                    s.setObject(i + 1, values[i]);
                }
                s.addBatch();
                if (++n % 2000 == 0) {
                    s.executeBatch();
                }
            }
            s.executeBatch();
        }
        return days;
    }

    private static SeriesState state(java.sql.ResultSet rs) throws SQLException {
        return new SeriesState(rs.getString("tenant_id"), rs.getString("series"), rs.getString("model"), rs.getInt("version"),
                rs.getObject("run_id", UUID.class), rs.getBoolean("is_default"), Sql.instant(rs, "cutoff"), rs.getString("conversion_event"),
                rs.getInt("journeys_version"), Sql.instant(rs, "synced_at"));
    }
}
