package io.throughline.reporting.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.throughline.commons.id.Ids;
import io.throughline.commons.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** Spend connectors: what to pull, from where, with which sealed credentials, when next, and how the last pull went. */
@ApplicationScoped
public class ConnectorStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    public record Connector(UUID id, String tenantId, String name, String platform, String account, String currency, String baseUrl, byte[] credentials,
            Map<String, String> options, int everyMinutes, int lookbackDays, boolean enabled, Instant nextRunAt, int attempts, Instant lastRunAt,
            UUID lastImportId, String lastError, Instant createdAt) {
    }

    private final DataSource db;

    public ConnectorStore(DataSource db) {
        this.db = db;
    }

    /** Inserts, or (same workspace and name) replaces the settings; credentials only when given. */
    public Connector save(String tenantId, String name, String platform, String account, String currency, String baseUrl, byte[] credentials,
            Map<String, String> options, int everyMinutes, int lookbackDays, boolean enabled) {
        return Sql.transaction(db, c -> {
            UUID id = Sql.query(c, """
                    INSERT INTO spend_connectors AS s (id, tenant_id, name, platform, account, currency, base_url, credentials, options, every_minutes,
                        lookback_days, enabled, next_run_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?, now(), now())
                    ON CONFLICT (tenant_id, name) DO UPDATE SET platform = EXCLUDED.platform, account = EXCLUDED.account, currency = EXCLUDED.currency,
                        base_url = EXCLUDED.base_url, credentials = COALESCE(?, s.credentials), options = EXCLUDED.options,
                        every_minutes = EXCLUDED.every_minutes, lookback_days = EXCLUDED.lookback_days, enabled = EXCLUDED.enabled,
                        next_run_at = now(), attempts = 0
                    RETURNING id""", rs -> rs.getObject(1, UUID.class), Ids.newId(), tenantId, name, platform, account, currency, baseUrl,
                    credentials == null ? new byte[0] : credentials, json(options), everyMinutes, lookbackDays, enabled, credentials).get(0);
            return find(c, tenantId, id).orElseThrow();
        });
    }

    public Optional<Connector> find(String tenantId, UUID id) {
        return Sql.transaction(db, c -> find(c, tenantId, id));
    }

    public List<Connector> list(String tenantId) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM spend_connectors WHERE tenant_id = ? ORDER BY name", ConnectorStore::row, tenantId));
    }

    public boolean delete(String tenantId, UUID id) {
        return Sql.transaction(db, c -> Sql.update(c, "DELETE FROM spend_connectors WHERE tenant_id = ? AND id = ?", tenantId, id)) == 1;
    }

    /** Claims connectors due for a pull (for a while: another instance leaves them be; a pull that dies leaves them due again). */
    public List<Connector> claimDue(int limit, Duration claimFor) {
        return Sql.transaction(db, c -> Sql.query(c, """
                UPDATE spend_connectors SET next_run_at = now() + make_interval(secs => ?)
                 WHERE id IN (SELECT id FROM spend_connectors WHERE enabled AND next_run_at <= now() ORDER BY next_run_at LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING *""", ConnectorStore::row, (double) claimFor.toSeconds(), limit));
    }

    /** A pull ran: on success due again after its interval; on failure after a growing delay, with the error. */
    public void ran(UUID id, UUID importId, String error, Instant next) {
        Sql.transaction(db, c -> Sql.update(c, """
                UPDATE spend_connectors SET last_run_at = now(), last_import_id = COALESCE(?, last_import_id), last_error = ?,
                    attempts = CASE WHEN CAST(? AS text) IS NULL THEN 0 ELSE attempts + 1 END, next_run_at = ? WHERE id = ?""", importId, error, error,
                next, id));
    }

    /** Seals the credentials again with the current key (rotation). */
    public void reseal(UUID id, byte[] credentials) {
        Sql.transaction(db, c -> Sql.update(c, "UPDATE spend_connectors SET credentials = ? WHERE id = ?", credentials, id));
    }

    public void runSoon(String tenantId, UUID id) {
        Sql.transaction(db, c -> Sql.update(c, "UPDATE spend_connectors SET next_run_at = now() WHERE tenant_id = ? AND id = ?", tenantId, id));
    }

    private static Optional<Connector> find(java.sql.Connection c, String tenantId, UUID id) throws SQLException {
        return Sql.query(c, "SELECT * FROM spend_connectors WHERE tenant_id = ? AND id = ?", ConnectorStore::row, tenantId, id).stream().findFirst();
    }

    private static Connector row(ResultSet rs) throws SQLException {
        Map<String, String> options;
        try {
            options = JSON.readValue(rs.getString("options"), new TypeReference<Map<String, String>>() { });
        } catch (java.io.IOException e) {
            throw new SQLException("unreadable connector options", e);
        }
        return new Connector(rs.getObject("id", UUID.class), rs.getString("tenant_id"), rs.getString("name"), rs.getString("platform"),
                rs.getString("account"), rs.getString("currency").trim(), rs.getString("base_url"), rs.getBytes("credentials"), options,
                rs.getInt("every_minutes"), rs.getInt("lookback_days"), rs.getBoolean("enabled"), Sql.instant(rs, "next_run_at"), rs.getInt("attempts"),
                Sql.instant(rs, "last_run_at"), rs.getObject("last_import_id", UUID.class), rs.getString("last_error"), Sql.instant(rs, "created_at"));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
