package io.throughline.reporting.store;

import io.throughline.commons.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/** Sites by id and public key, learnt from the feeds: reports name a site either way and store its key. */
@ApplicationScoped
public class SiteStore {

    private final DataSource db;

    public SiteStore(DataSource db) {
        this.db = db;
    }

    /** The site's public key, given its key or its id. */
    public Optional<String> keyOf(String tenantId, String site) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT site_key FROM sites WHERE tenant_id = ? AND (site_id = ? OR site_key = ?) LIMIT 1",
                rs -> rs.getString(1), tenantId, site, site)).stream().findFirst();
    }

    static void remember(Connection c, String tenantId, List<String[]> idAndKey) throws SQLException {
        Set<String> seen = new HashSet<>();
        for (String[] s : idAndKey) {
            if (s[0] == null || s[0].isBlank() || s[1] == null || s[1].isBlank() || !seen.add(s[0])) {
                continue;
            }
            Sql.update(c, "INSERT INTO sites (tenant_id, site_id, site_key) VALUES (?, ?, ?) ON CONFLICT (tenant_id, site_id) DO UPDATE SET site_key ="
                    + " EXCLUDED.site_key", tenantId, s[0], s[1]);
        }
    }
}
