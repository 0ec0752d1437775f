package io.throughline.reporting.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.throughline.commons.id.Ids;
import io.throughline.commons.sql.Sql;
import io.throughline.reporting.domain.spend.SpendRejection;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** Spend imports: running with their progress, then done with a summary or failed with why. */
@ApplicationScoped
public class ImportStore {

    /** Rejections kept per import (the count is exact; the list is capped). */
    public static final int KEPT_REJECTIONS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Import(UUID id, String tenantId, String format, String origin, String status, int rowsTotal, int rowsDone, int rowsRead, int inserted,
            int replaced, int removed, int rejected, List<SpendRejection> rejections, String error, Instant createdAt, Instant finishedAt) {
    }

    private final DataSource db;

    public ImportStore(DataSource db) {
        this.db = db;
    }

    public Import start(String tenantId, String format, String origin) {
        UUID id = Ids.newId();
        return Sql.transaction(db, c -> {
            Sql.update(c, "INSERT INTO spend_imports (id, tenant_id, format, origin, status, created_at) VALUES (?, ?, ?, ?, 'running', now())", id, tenantId,
                    format, origin);
            return find(c, tenantId, id).orElseThrow();
        });
    }

    public void parsed(UUID id, int read, int toWrite, List<SpendRejection> rejections) {
        Sql.statements(db, c -> Sql.update(c, "UPDATE spend_imports SET rows_read = ?, rows_total = ?, rejected = ?, rejections = CAST(? AS jsonb) WHERE id = ?",
                read, toWrite, rejections.size(), json(rejections.subList(0, Math.min(KEPT_REJECTIONS, rejections.size()))), id));
    }

    public void progress(UUID id, int done) {
        Sql.statements(db, c -> Sql.update(c, "UPDATE spend_imports SET rows_done = ? WHERE id = ? AND status = 'running'", done, id));
    }

    public void done(UUID id, SpendStore.Outcome o) {
        Sql.statements(db, c -> Sql.update(c, """
                UPDATE spend_imports SET status = 'done', rows_done = rows_total, inserted = ?, replaced = ?, removed = ?, finished_at = now()
                 WHERE id = ?""", o.inserted(), o.replaced(), o.removed(), id));
    }

    public void failed(UUID id, String error) {
        Sql.statements(db, c -> Sql.update(c, "UPDATE spend_imports SET status = 'failed', error = ?, finished_at = now() WHERE id = ?",
                error.length() > 1000 ? error.substring(0, 1000) : error, id));
    }

    /** Imports left running by a stopped process failed (their transaction never committed: nothing of them is stored). */
    public int failInterrupted() {
        return Sql.statements(db, c -> Sql.update(c, "UPDATE spend_imports SET status = 'failed', error = 'interrupted by a restart; nothing of it was"
                + " stored', finished_at = now() WHERE status = 'running'"));
    }

    public Optional<Import> find(String tenantId, UUID id) {
        return Sql.transaction(db, c -> find(c, tenantId, id));
    }

    public List<Import> page(String tenantId, Instant afterCreated, UUID afterId, int limit) {
        return Sql.transaction(db, c -> Sql.query(c, """
                SELECT * FROM spend_imports WHERE tenant_id = ? AND (CAST(? AS timestamptz) IS NULL OR (created_at, id) < (?, ?))
                 ORDER BY created_at DESC, id DESC LIMIT ?""", ImportStore::row, tenantId, afterCreated, afterCreated, afterId, limit));
    }

    private static Optional<Import> find(java.sql.Connection c, String tenantId, UUID id) throws SQLException {
        return Sql.query(c, "SELECT * FROM spend_imports WHERE tenant_id = ? AND id = ?", ImportStore::row, tenantId, id).stream().findFirst();
    }

    private static Import row(ResultSet rs) throws SQLException {
        List<SpendRejection> rejections;
        try {
            rejections = JSON.readValue(rs.getString("rejections"), new TypeReference<List<SpendRejection>>() { });
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return new Import(rs.getObject("id", UUID.class), rs.getString("tenant_id"), rs.getString("format"), rs.getString("origin"),
                rs.getString("status"), rs.getInt("rows_total"), rs.getInt("rows_done"), rs.getInt("rows_read"), rs.getInt("inserted"),
                rs.getInt("replaced"), rs.getInt("removed"), rs.getInt("rejected"), rejections, rs.getString("error"), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "finished_at"));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
