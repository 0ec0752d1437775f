package io.throughline.calltracking.store;

import io.throughline.calltracking.domain.PoolUtilization;
import io.throughline.commons.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/** A pool's reservation history as the utilization report reads it. */
@ApplicationScoped
public class PoolReports {

    /** Reservation history read for one report at most (a wider range is refused: narrow it). */
    public static final int MAX_WINDOWS = 500_000;

    /** Peak new visits a minute and their average length, over a range. */
    public record Demand(int peakNewPerMinute, double averageSessionMinutes) {
    }

    private final DataSource db;

    public PoolReports(DataSource db) {
        this.db = db;
    }

    /** Windows overlapping [from, to), at most {@link #MAX_WINDOWS} + 1 (the caller checks). */
    public List<PoolUtilization.Window> windows(UUID poolId, Instant from, Instant to) {
        return Sql.transaction(db, c -> Sql.query(c, """
                SELECT assigned_at, last_seen_at + make_interval(secs => hold_seconds) AS held_until, number_id IS NOT NULL AND NOT ambiguous AS holding,
                       overflow
                  FROM reservations WHERE pool_id = ? AND assigned_at < ? AND last_seen_at + make_interval(secs => hold_seconds) >= ?
                 LIMIT ?""", rs -> new PoolUtilization.Window(Sql.instant(rs, "assigned_at"), Sql.instant(rs, "held_until"), rs.getBoolean("holding"),
                rs.getBoolean("overflow")), poolId, to, from, MAX_WINDOWS + 1));
    }

    public Demand demand(UUID poolId, Instant from, Instant to) {
        return Sql.transaction(db, c -> Sql.query(c, """
                SELECT COALESCE((SELECT max(n) FROM (SELECT count(*) AS n FROM reservations WHERE pool_id = ? AND assigned_at >= ? AND assigned_at < ?
                                                      GROUP BY date_trunc('minute', assigned_at)) per_minute), 0) AS peak,
                       COALESCE((SELECT avg(extract(epoch FROM last_seen_at - assigned_at)) / 60 FROM reservations
                                  WHERE pool_id = ? AND assigned_at >= ? AND assigned_at < ? AND NOT overflow), 0) AS minutes""",
                rs -> new Demand(rs.getInt("peak"), rs.getDouble("minutes")), poolId, from, to, poolId, from, to).get(0));
    }
}
