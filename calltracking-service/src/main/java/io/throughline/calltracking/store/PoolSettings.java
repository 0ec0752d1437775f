package io.throughline.calltracking.store;

import io.throughline.calltracking.domain.OverflowPolicy;
import io.throughline.commons.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** Pools as the DNI path and the number admin read them (plain JDBC, on the request's worker thread). */
@ApplicationScoped
public class PoolSettings {

    /** What DNI needs of a pool. */
    public record Pool(UUID id, String tenantId, String siteKey, String name, int holdSeconds, OverflowPolicy overflow,
            List<String> replaceNumbers, List<String> selectors, String displayMask, String defaultNumber) {
    }

    private final DataSource db;

    public PoolSettings(DataSource db) {
        this.db = db;
    }

    /** The site's pools, oldest first (the first is the site's default pool). */
    public List<Pool> ofSite(String siteKey) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM pools WHERE site_key = ? ORDER BY created_at, id", PoolSettings::row, siteKey));
    }

    public Optional<Pool> find(String tenantId, UUID id) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM pools WHERE tenant_id = ? AND id = ?", PoolSettings::row, tenantId, id))
                .stream().findFirst();
    }

    private static Pool row(ResultSet rs) throws SQLException {
        return new Pool(rs.getObject("id", UUID.class), rs.getString("tenant_id"), rs.getString("site_key"), rs.getString("name"),
                rs.getInt("hold_seconds"), OverflowPolicy.fromCode(rs.getString("overflow_policy")).orElse(OverflowPolicy.DEFAULT_NUMBER),
                List.of((String[]) rs.getArray("replace_numbers").getArray()), List.of((String[]) rs.getArray("selectors").getArray()),
                rs.getString("display_mask"), rs.getString("default_number"));
    }
}
