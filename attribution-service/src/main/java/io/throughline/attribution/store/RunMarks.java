package io.throughline.attribution.store;

import io.throughline.commons.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * "Person changed" marks for incremental versions: persons whose journeys may differ from what the newest version
 * read although none of their deals changed, with the positions in the change feeds they were read from.
 */
@ApplicationScoped
public class RunMarks {

    private final DataSource db;

    public RunMarks(DataSource db) {
        this.db = db;
    }

    /** Where the feed was left off; empty at the beginning. */
    public Optional<String> cursor(String feed) {
        return Sql.statements(db, c -> Sql.query(c, "SELECT position FROM run_mark_cursors WHERE feed = ?", rs -> rs.getString(1), feed))
                .stream().findFirst();
    }

    /** Marks the persons (by workspace) and moves the feed's cursor, in one transaction: a mark is never lost to a crash. */
    public void mark(String feed, String position, Map<String, ? extends Collection<String>> personsByTenant, String reason, Instant at) {
        Sql.transaction(db, c -> {
            for (Map.Entry<String, ? extends Collection<String>> e : personsByTenant.entrySet()) {
                if (e.getValue().isEmpty()) {
                    continue;
                }
                Sql.update(c, """
                        INSERT INTO run_marks (tenant_id, person_id, marked_at, reason) SELECT ?, p, ?, ? FROM unnest(?::text[]) AS u(p)
                        ON CONFLICT (tenant_id, person_id) DO UPDATE SET marked_at = GREATEST(run_marks.marked_at, EXCLUDED.marked_at),
                            reason = EXCLUDED.reason""", e.getKey(), at, reason, new HashSet<>(e.getValue()).toArray(String[]::new));
            }
            return Sql.update(c, """
                    INSERT INTO run_mark_cursors (feed, position) VALUES (?, ?)
                    ON CONFLICT (feed) DO UPDATE SET position = EXCLUDED.position""", feed, position);
        });
    }

    /** The persons of the workspace marked after {@code since} (person ids as identity-service gives them). */
    public Set<String> since(String tenantId, Instant since) {
        return new HashSet<>(Sql.statements(db, c -> Sql.query(c, "SELECT person_id FROM run_marks WHERE tenant_id = ? AND marked_at > ?",
                rs -> rs.getString(1), tenantId, since)));
    }

    /** Whether any person of the workspace was marked after {@code since}. */
    public boolean any(String tenantId, Instant since) {
        return !Sql.statements(db, c -> Sql.query(c, "SELECT 1 FROM run_marks WHERE tenant_id = ? AND marked_at > ? LIMIT 1",
                rs -> 1, tenantId, since)).isEmpty();
    }

    /** Drops marks older than {@code before}; answers how many. */
    public int prune(Instant before) {
        return Sql.statements(db, c -> Sql.update(c, "DELETE FROM run_marks WHERE marked_at < ?", before));
    }
}
