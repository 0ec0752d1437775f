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
 * Telephony integrations: where call webhooks come from and the secret that signs them. HMAC checks need the secret
 * itself, so it is sealed at rest (AES-256-GCM under the service's key ring, bound to the workspace), never returned
 * after creation nor logged; one stored plain before sealing, or under a retired key, is sealed again by {@link #reseal}.
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
    private final io.throughline.calltracking.config.TelephonySecrets secrets;

    public Integrations(DataSource db, io.throughline.calltracking.config.TelephonySecrets secrets) {
        this.db = db;
        this.secrets = secrets;
    }

    /** Seals again every secret stored plain or under a retired key (instances may run it at once); answers how many. */
    public int reseal() {
        return io.throughline.commons.secrets.SealedColumns.reseal(db, secrets.box(), "integrations", "secret");
    }

    public Integration add(Integration i) {
        return Sql.transaction(db, c -> {
            try {
                Sql.update(c, "INSERT INTO integrations (id, tenant_id, name, format, secret, time_zone, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        i.id(), i.tenantId(), i.name(), i.format(), secrets.box().sealText(i.tenantId(), i.secret()), i.timeZone(), i.createdAt());
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
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM integrations WHERE id = ?", this::row, id)).stream().findFirst();
    }

    public List<Integration> ofTenant(String tenantId) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM integrations WHERE tenant_id = ? ORDER BY created_at, id", this::row,
                tenantId));
    }

    private Integration row(ResultSet rs) throws SQLException {
        String tenantId = rs.getString("tenant_id");
        return new Integration(rs.getObject("id", UUID.class), tenantId, rs.getString("name"), rs.getString("format"),
                secrets.open(tenantId, rs.getString("secret")), rs.getString("time_zone"), Sql.instant(rs, "created_at"));
    }
}
