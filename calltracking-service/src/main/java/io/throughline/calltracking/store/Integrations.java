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

/**
 * Telephony integrations: where call webhooks come from and the secret that signs them. The secret is kept as
 * given (HMAC checks need it) and is never returned after creation nor logged.
 */
@ApplicationScoped
public class Integrations {

    public record Integration(UUID id, String tenantId, String name, String format, String secret, String timeZone, Instant createdAt) {
        @Override
        public String toString() {
            return "Integration[" + id + ", " + tenantId + ", " + format + "]";
        }
    }

    /** The name is taken in this workspace. */
    public static final class NameTaken extends RuntimeException {
        public NameTaken() {
            super(null, null, false, false);
        }
    }

    private final DataSource db;

    public Integrations(DataSource db) {
        this.db = db;
    }

    public Integration add(Integration i) {
        return Sql.transaction(db, c -> {
            try {
                Sql.update(c, "INSERT INTO integrations (id, tenant_id, name, format, secret, time_zone, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        i.id(), i.tenantId(), i.name(), i.format(), i.secret(), i.timeZone(), i.createdAt());
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) {
                    throw new NameTaken();
                }
                throw e;
            }
            return i;
        });
    }

    public Optional<Integration> find(UUID id) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM integrations WHERE id = ?", Integrations::row, id)).stream().findFirst();
    }

    public List<Integration> ofTenant(String tenantId) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM integrations WHERE tenant_id = ? ORDER BY created_at, id", Integrations::row,
                tenantId));
    }

    private static Integration row(ResultSet rs) throws SQLException {
        return new Integration(rs.getObject("id", UUID.class), rs.getString("tenant_id"), rs.getString("name"), rs.getString("format"),
                rs.getString("secret"), rs.getString("time_zone"), Sql.instant(rs, "created_at"));
    }
}
