package io.throughline.calltracking.store;

import io.throughline.commons.id.Ids;
import io.throughline.commons.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Dynamic number insertion: who holds which pool number. A visitor whose lease is live gets it back and extends
 * it; otherwise a free number is taken, and the reservation recorded, in one statement: the candidate row is locked
 * with SKIP LOCKED (concurrent requests take different numbers instead of queueing behind one) and the lease is
 * written by an upsert that only replaces an expired lease. The lease table's primary key is what guarantees, in the
 * database, that a number has one holder. Every grant is written to the reservation history calls are matched
 * against. Each step is a single statement, atomic on its own, so the hot path makes no BEGIN / COMMIT round trips.
 */
@ApplicationScoped
public class Leases {

    /** What a visitor was given. {@code overflow}: no number was free; {@code ambiguous}: the number is shared. */
    public record Grant(UUID reservationId, UUID numberId, String e164, Instant holdUntil, boolean overflow, boolean ambiguous, boolean renewed) {
    }

    /** Who asks, and what their visit came from (kept with the reservation, for matching and static sources). */
    public record Visit(String tenantId, UUID poolId, String siteKey, String visitorId, String sessionId, String landingPage,
            String referrer, Map<String, String> campaign, Map<String, String> clickIds) {
    }

    /**
     * One statement: the visitor's live lease extended (and its reservation marked seen); or, when there is none, a
     * free (or expired) number leased and the reservation recorded.
     */
    private static final String LEASE = """
            WITH live AS (
                SELECT r.id, r.number_id, n.e164 FROM reservations r
                  JOIN number_leases l ON l.reservation_id = r.id AND l.number_id = r.number_id
                  JOIN numbers n ON n.id = r.number_id
                 WHERE r.pool_id = ? AND r.visitor_id = ? AND l.expires_at > now() AND n.active
                 ORDER BY r.last_seen_at DESC LIMIT 1),
            extended AS (
                UPDATE number_leases l SET expires_at = now() + make_interval(secs => ?) FROM live
                 WHERE l.number_id = live.number_id AND l.reservation_id = live.id RETURNING l.expires_at),
            seen AS (
                UPDATE reservations r SET last_seen_at = now(), session_id = COALESCE(?, r.session_id) FROM live WHERE r.id = live.id),
            candidate AS (
                SELECT n.id, n.e164 FROM numbers n LEFT JOIN number_leases l ON l.number_id = n.id
                 WHERE n.pool_id = ? AND n.active AND (l.number_id IS NULL OR l.expires_at <= now()) AND NOT EXISTS (SELECT 1 FROM live)
                 ORDER BY l.expires_at ASC NULLS FIRST
                 LIMIT 1
                 FOR UPDATE OF n SKIP LOCKED),
            taken AS (
                INSERT INTO number_leases (number_id, reservation_id, expires_at)
                SELECT id, ?, now() + make_interval(secs => ?) FROM candidate
                ON CONFLICT (number_id) DO UPDATE SET reservation_id = EXCLUDED.reservation_id, expires_at = EXCLUDED.expires_at
                 WHERE number_leases.expires_at <= now()
                RETURNING number_id, reservation_id, expires_at),
            recorded AS (
                INSERT INTO reservations (id, tenant_id, pool_id, number_id, site_key, visitor_id, session_id, landing_page, referrer,
                    campaign, click_ids, assigned_at, last_seen_at, hold_seconds)
                SELECT reservation_id, ?, ?, number_id, ?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb), now(), now(), ? FROM taken)
            SELECT live.id, live.number_id, live.e164, extended.expires_at, true AS renewed FROM live, extended
            UNION ALL
            SELECT taken.reservation_id, taken.number_id, candidate.e164, taken.expires_at, false FROM taken JOIN candidate ON candidate.id = taken.number_id""";

    private static final String SHARED_RENEW = """
            UPDATE reservations r SET last_seen_at = now() FROM numbers n
             WHERE r.id = (SELECT id FROM reservations WHERE pool_id = ? AND visitor_id = ? AND ambiguous
                            AND last_seen_at + make_interval(secs => hold_seconds) > now() ORDER BY last_seen_at DESC LIMIT 1)
               AND n.id = r.number_id AND n.active
            RETURNING r.id, r.number_id, n.e164, now() + make_interval(secs => r.hold_seconds) AS until""";

    /** When every number is held: the one whose holder has been quiet longest, shared and marked ambiguous. */
    private static final String LEAST_RECENT = """
            SELECT n.id, n.e164, now() + make_interval(secs => ?) AS until FROM numbers n JOIN number_leases l ON l.number_id = n.id
             WHERE n.pool_id = ? AND n.active ORDER BY l.expires_at ASC LIMIT 1""";

    private final DataSource db;

    public Leases(DataSource db) {
        this.db = db;
    }

    /**
     * The visitor's live number (extended), else a free one; when none is free, a shared one if the pool reuses
     * numbers, else no number (the caller shows the default number). Either way the request is recorded.
     */
    public Grant lease(Visit visit, int holdSeconds, boolean reuseWhenFull) {
        return Sql.statements(db, c -> {
            UUID reservation = Ids.newId();
            List<Grant> granted = Sql.query(c, LEASE, rs -> new Grant(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                    Sql.instant(rs, "expires_at"), false, false, rs.getBoolean("renewed")), visit.poolId(), visit.visitorId(), holdSeconds,
                    visit.sessionId(), visit.poolId(), reservation, holdSeconds, visit.tenantId(), visit.poolId(), visit.siteKey(), visit.visitorId(),
                    visit.sessionId(), visit.landingPage(), visit.referrer(), Json.of(visit.campaign()), Json.of(visit.clickIds()), holdSeconds);
            if (!granted.isEmpty()) {
                return granted.get(0);
            }
            if (reuseWhenFull) {
                // A visitor already sharing a number keeps it (one reservation per visit, not one per heartbeat).
                List<Grant> own = Sql.query(c, SHARED_RENEW, rs -> new Grant(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getString(3), Sql.instant(rs, "until"), true, true, true), visit.poolId(), visit.visitorId());
                if (!own.isEmpty()) {
                    return own.get(0);
                }
                List<Grant> shared = Sql.query(c, LEAST_RECENT, rs -> new Grant(reservation, rs.getObject(1, UUID.class), rs.getString(2),
                        Sql.instant(rs, "until"), true, true, false), holdSeconds, visit.poolId());
                if (!shared.isEmpty()) {
                    record(c, reservation, shared.get(0).numberId(), visit, holdSeconds, true);
                    return shared.get(0);
                }
            }
            record(c, reservation, null, visit, holdSeconds, false);
            return new Grant(reservation, null, null, null, true, false, false);
        });
    }

    /** Ends a lease now (the number is free for the next visitor); the reservation stays in the history. */
    public boolean release(UUID reservationId) {
        return Sql.statements(db, c -> Sql.query(c, """
                WITH freed AS (DELETE FROM number_leases WHERE reservation_id = ? RETURNING reservation_id),
                ended AS (UPDATE reservations SET last_seen_at = now(), hold_seconds = 0 WHERE id = ?)
                SELECT count(*) FROM freed""", rs -> rs.getLong(1), reservationId, reservationId).get(0) == 1);
    }

    /** A reservation without a lease of its own: a shared number (ambiguous) or none at all (overflow). */
    private static void record(Connection c, UUID reservation, UUID number, Visit visit, int holdSeconds, boolean ambiguous) throws SQLException {
        Sql.update(c, "INSERT INTO reservations (id, tenant_id, pool_id, number_id, site_key, visitor_id, session_id, landing_page, referrer, "
                + "campaign, click_ids, assigned_at, last_seen_at, hold_seconds, overflow, ambiguous) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb), now(), now(), ?, true, ?)",
                reservation, visit.tenantId(), visit.poolId(), number, visit.siteKey(), visit.visitorId(), visit.sessionId(),
                visit.landingPage(), visit.referrer(), Json.of(visit.campaign()), Json.of(visit.clickIds()), holdSeconds, ambiguous);
    }
}
