package io.throughline.calltracking.store;

import io.throughline.commons.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** Tracked numbers: a pool's dynamic numbers and static numbers bound to a source. */
@ApplicationScoped
public class Numbers {

    /** A tracked number as stored. */
    public record Number(UUID id, String tenantId, String siteKey, UUID poolId, String kind, String e164, String label,
            String matchSource, String matchMedium, String matchCampaign, String channel, boolean active, Instant createdAt) {
    }

    /** A number another place already tracks: the unique index refused it. */
    public static final class Taken extends RuntimeException {
        private final String e164;

        public Taken(String e164) {
            super(e164 + " is already tracked", null, false, false);
            this.e164 = e164;
        }

        public String e164() {
            return e164;
        }
    }

    private final DataSource db;

    public Numbers(DataSource db) {
        this.db = db;
    }

    /** Adds numbers in one transaction; none is added when one is already tracked anywhere. */
    public List<Number> add(List<Number> numbers) {
        return Sql.transaction(db, c -> {
            for (Number n : numbers) {
                try {
                    Sql.update(c, "INSERT INTO numbers (id, tenant_id, site_key, pool_id, kind, e164, label, match_source, match_medium, "
                            + "match_campaign, channel, active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true, ?)", n.id(), n.tenantId(),
                            n.siteKey(), n.poolId(), n.kind(), n.e164(), n.label(), n.matchSource(), n.matchMedium(), n.matchCampaign(), n.channel(),
                            n.createdAt());
                } catch (SQLException e) {
                    if ("23505".equals(e.getSQLState())) {
                        throw new Taken(n.e164());
                    }
                    throw e;
                }
            }
            return numbers;
        });
    }

    public List<Number> page(String tenantId, UUID poolId, UUID after, int limit) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM numbers WHERE tenant_id = ? AND active"
                + " AND (CAST(? AS uuid) IS NULL OR pool_id = ?) AND (CAST(? AS uuid) IS NULL OR id > ?) ORDER BY id LIMIT ?",
                Numbers::row, tenantId, poolId, poolId, after, after, limit));
    }

    public Optional<Number> find(String tenantId, UUID id) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM numbers WHERE tenant_id = ? AND id = ?", Numbers::row, tenantId, id))
                .stream().findFirst();
    }

    /** The number as tracked at a call: the active one, else the most recently retired. */
    public Optional<Number> byE164(String e164) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM numbers WHERE e164 = ? ORDER BY active DESC, created_at DESC LIMIT 1",
                Numbers::row, e164)).stream().findFirst();
    }

    /** The static numbers of a site (the DNI endpoint offers them before the pool when the source matches). */
    public List<Number> staticOf(String siteKey) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM numbers WHERE site_key = ? AND kind = 'static' AND active ORDER BY created_at",
                Numbers::row, siteKey));
    }

    /** Retires a number: calls to it are still matched to its history; it is no longer offered. */
    public boolean retire(String tenantId, UUID id) {
        return Sql.transaction(db, c -> {
            boolean retired = Sql.update(c, "UPDATE numbers SET active = false WHERE tenant_id = ? AND id = ? AND active", tenantId, id) == 1;
            if (retired) {
                Sql.update(c, "DELETE FROM number_leases WHERE number_id = ?", id);
            }
            return retired;
        });
    }

    public int countActive(UUID poolId) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT count(*) FROM numbers WHERE pool_id = ? AND active", rs -> rs.getInt(1), poolId))
                .get(0);
    }

    static Number row(ResultSet rs) throws SQLException {
        return new Number(rs.getObject("id", UUID.class), rs.getString("tenant_id"), rs.getString("site_key"),
                rs.getObject("pool_id", UUID.class), rs.getString("kind"), rs.getString("e164"), rs.getString("label"),
                rs.getString("match_source"), rs.getString("match_medium"), rs.getString("match_campaign"), rs.getString("channel"), rs.getBoolean("active"),
                Sql.instant(rs, "created_at"));
    }
}
