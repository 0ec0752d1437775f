package io.throughline.attribution.store;

import io.throughline.commons.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Who a running version recomputes, kept in PostgreSQL (tables {@code run_people} and {@code run_affected}) rather than
 * in the heap, so a run's memory does not grow with the workspace: written while the run resolves its deals' persons,
 * read back a batch of persons at a time in key order, dropped when the run finishes or fails ({@link Runs}).
 */
@ApplicationScoped
public class RunScratch {

    /** One deal of the run: whose it is now, and the identifiers (visitor ids, E.164 phones) to find that person's touches by. */
    public record Entry(UUID dealId, String personKey, List<String> visitors, List<String> phones) {
    }

    private final DataSource db;

    public RunScratch(DataSource db) {
        this.db = db;
    }

    /** Takes these deals into the run (a deal taken once stays as first taken). */
    public void add(UUID runId, List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        Sql.transaction(db, c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO run_people (run_id, deal_id, person_key, visitors, phones) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
                for (Entry e : entries) {
                    s.setObject(1, runId);
                    s.setObject(2, e.dealId());
                    s.setString(3, e.personKey());
                    s.setArray(4, c.createArrayOf("text", e.visitors().toArray()));
                    s.setArray(5, c.createArrayOf("text", e.phones().toArray()));
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
    }

    /** These persons (keys of the base version or of this run) have every deal of theirs recomputed. */
    public void affect(UUID runId, Collection<String> personKeys) {
        if (personKeys.isEmpty()) {
            return;
        }
        Sql.transaction(db, c -> Sql.update(c, "INSERT INTO run_affected (run_id, person_key) SELECT ?, k FROM unnest(?::text[]) AS u(k) ON CONFLICT DO NOTHING",
                runId, new HashSet<>(personKeys).toArray(String[]::new)));
    }

    /** Fresh statistics once a run has taken its persons: they are read back by key ranges, which must not turn into scans. */
    public void analyze() {
        Sql.statements(db, c -> Sql.update(c, "ANALYZE run_people, run_affected"));
    }

    /** How many persons the run has taken. */
    public int persons(UUID runId) {
        return Sql.statements(db, c -> Sql.query(c, "SELECT count(DISTINCT person_key) FROM run_people WHERE run_id = ?", rs -> rs.getInt(1), runId)).get(0);
    }

    /** The deals of the next {@code limit} persons after {@code afterKey} (by key), ordered by person then deal. */
    public List<Entry> nextPersons(UUID runId, String afterKey, int limit) {
        return Sql.statements(db, c -> Sql.query(c, """
                WITH next AS (SELECT DISTINCT person_key FROM run_people WHERE run_id = ? AND person_key > ? ORDER BY person_key LIMIT ?)
                SELECT r.deal_id, r.person_key, r.visitors, r.phones FROM run_people r JOIN next USING (person_key)
                 WHERE r.run_id = ? ORDER BY r.person_key, r.deal_id""", rs -> new Entry(rs.getObject(1, UUID.class), rs.getString(2),
                texts(rs.getArray(3)), texts(rs.getArray(4))), runId, afterKey, limit, runId));
    }

    private static List<String> texts(java.sql.Array array) throws java.sql.SQLException {
        List<String> out = new ArrayList<>();
        for (Object o : (Object[]) array.getArray()) {
            out.add((String) o);
        }
        return out;
    }
}
