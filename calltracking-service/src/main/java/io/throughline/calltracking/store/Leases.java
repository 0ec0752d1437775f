package io.throughline.calltracking.store;

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
 * it; otherwise a free number is taken in one statement: the candidate row is locked with SKIP LOCKED (concurrent
 * requests take different numbers instead of queueing) and the lease is written by an upsert that only replaces an
 * expired lease. The lease table's primary key is what guarantees, in the database, that a number has one holder.
 * Every grant is also written to the reservation history calls are matched against.
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

    private static final String RENEW = """
            SELECT r.id, r.number_id, n.e164 FROM reservations r
              JOIN number_leases l ON l.reservation_id = r.id AND l.number_id = r.number_id
              JOIN numbers n ON n.id = r.number_id
             WHERE r.pool_id = ? AND r.visitor_id = ? AND l.expires_at > now() AND n.active
             ORDER BY r.last_seen_at DESC LIMIT 1""";

    private static final String TAKE = """
            WITH candidate AS (
                SELECT n.id FROM numbers n LEFT JOIN number_leases l ON l.number_id = n.id
                 WHERE n.pool_id = ? AND n.active AND (l.number_id IS NULL OR l.expires_at <= now())
                 ORDER BY l.expires_at ASC NULLS FIRST
                 LIMIT 1
                 FOR UPDATE OF n SKIP LOCKED)
            INSERT INTO number_leases (number_id, reservation_id, expires_at)
            SELECT id, ?, now() + make_interval(secs => ?) FROM candidate
            ON CONFLICT (number_id) DO UPDATE SET reservation_id = EXCLUDED.reservation_id, expires_at = EXCLUDED.expires_at
             WHERE number_leases.expires_at <= now()
            RETURNING number_id, expires_at""";

    /** When every number is held: the one whose holder has been quiet longest, shared and marked ambiguous. */
    private static final String LEAST_RECENT = """
            SELECT n.id, n.e164, l.expires_at FROM numbers n JOIN number_leases l ON l.number_id = n.id
             WHERE n.pool_id = ? AND n.active ORDER BY l.expires_at ASC LIMIT 1""";

    private static final String SHARED_RENEW = """
            UPDATE reservations r SET last_seen_at = now(), session_id = r.session_id FROM numbers n
             WHERE r.id = (SELECT id FROM reservations WHERE pool_id = ? AND visitor_id = ? AND ambiguous
                            AND last_seen_at + make_interval(secs => hold_seconds) > now() ORDER BY last_seen_at DESC LIMIT 1)
               AND n.id = r.number_id AND n.active
            RETURNING r.id, r.number_id, n.e164, now() + make_interval(secs => r.hold_seconds) AS until""";

    private final DataSource db;

    public Leases(DataSource db) {
        this.db = db;
    }

    /**
     * The visitor's live number (extended), else a free one; when none is free, a shared one if the pool reuses
     * numbers, else no number (the caller shows the default number). Either way the request is recorded.
     */
    public Grant lease(Visit visit, int holdSeconds, boolean reuseWhenFull) {
        return Sql.transaction(db, c -> {
            List<Object[]> live = Sql.query(c, RENEW, rs -> new Object[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                    rs.getString(3)}, visit.poolId(), visit.visitorId());
            if (!live.isEmpty()) {
                UUID reservation = (UUID) live.get(0)[0];
                UUID number = (UUID) live.get(0)[1];
                Instant until = Sql.query(c, "UPDATE number_leases SET expires_at = now() + make_interval(secs => ?) "
                        + "WHERE number_id = ? AND reservation_id = ? RETURNING expires_at", rs -> Sql.instant(rs, "expires_at"),
                        holdSeconds, number, reservation).get(0);
                Sql.update(c, "UPDATE reservations SET last_seen_at = now(), session_id = COALESCE(?, session_id) WHERE id = ?",
                        visit.sessionId(), reservation);
                return new Grant(reservation, number, (String) live.get(0)[2], until, false, false, true);
            }
            UUID reservation = io.throughline.commons.id.Ids.newId();
            List<Object[]> taken = Sql.query(c, TAKE, rs -> new Object[] {rs.getObject(1, UUID.class), Sql.instant(rs, "expires_at")},
                    visit.poolId(), reservation, holdSeconds);
            if (!taken.isEmpty()) {
                UUID number = (UUID) taken.get(0)[0];
                record(c, reservation, number, visit, holdSeconds, false, false);
                String e164 = Sql.query(c, "SELECT e164 FROM numbers WHERE id = ?", rs -> rs.getString(1), number).get(0);
                return new Grant(reservation, number, e164, (Instant) taken.get(0)[1], false, false, false);
            }
            if (reuseWhenFull) {
                // A visitor already sharing a number keeps it (one reservation per visit, not one per heartbeat).
                List<Object[]> own = Sql.query(c, SHARED_RENEW, rs -> new Object[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getString(3), Sql.instant(rs, "until")}, visit.poolId(), visit.visitorId());
                if (!own.isEmpty()) {
                    return new Grant((UUID) own.get(0)[0], (UUID) own.get(0)[1], (String) own.get(0)[2], (Instant) own.get(0)[3], true, true, true);
                }
                List<Object[]> shared = Sql.query(c, LEAST_RECENT, rs -> new Object[] {rs.getObject(1, UUID.class), rs.getString(2)}, visit.poolId());
                if (!shared.isEmpty()) {
                    UUID number = (UUID) shared.get(0)[0];
                    record(c, reservation, number, visit, holdSeconds, true, true);
                    Instant until = Sql.query(c, "SELECT now() + make_interval(secs => ?) AS until", rs -> Sql.instant(rs, "until"), holdSeconds).get(0);
                    return new Grant(reservation, number, (String) shared.get(0)[1], until, true, true, false);
                }
            }
            record(c, reservation, null, visit, holdSeconds, true, false);
            return new Grant(reservation, null, null, null, true, false, false);
        });
    }

    /** Ends a lease now (the number is free for the next visitor); the reservation stays in the history. */
    public boolean release(UUID reservationId) {
        return Sql.transaction(db, c -> {
            Sql.update(c, "UPDATE reservations SET last_seen_at = now(), hold_seconds = 0 WHERE id = ?", reservationId);
            return Sql.update(c, "DELETE FROM number_leases WHERE reservation_id = ?", reservationId) == 1;
        });
    }

    private static void record(Connection c, UUID reservation, UUID number, Visit visit, int holdSeconds, boolean overflow, boolean ambiguous)
            throws SQLException {
        Sql.update(c, "INSERT INTO reservations (id, tenant_id, pool_id, number_id, site_key, visitor_id, session_id, landing_page, referrer, "
                + "campaign, click_ids, assigned_at, last_seen_at, hold_seconds, overflow, ambiguous) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb), now(), now(), ?, ?, ?)",
                reservation, visit.tenantId(), visit.poolId(), number, visit.siteKey(), visit.visitorId(), visit.sessionId(),
                visit.landingPage(), visit.referrer(), Json.of(visit.campaign()), Json.of(visit.clickIds()), holdSeconds, overflow, ambiguous);
    }
}
