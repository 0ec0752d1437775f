package io.throughline.identity.store;

import io.throughline.commons.id.Ids;
import io.throughline.commons.sql.Sql;
import io.throughline.identity.domain.IdentifierType;
import io.throughline.identity.domain.MatchKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Erasure (GDPR Art. 17 / 152-FZ): the person's nodes and edges go, their keys enter the suppression list so
 * that replays cannot recreate them, and the services holding their data learn of it from the feed and
 * confirm what they deleted. What the consumers need to find the data is kept sealed until all confirmed.
 */
@ApplicationScoped
public class Erasures {

    public record Erased(IdentifierType type, String matchKey, String value) {
    }

    public record Pending(UUID id, String tenantId, UUID person, Instant requestedAt, List<Erased> identifiers) {
    }

    public record Confirmation(String consumer, Instant confirmedAt, String deleted) {
    }

    public record Status(UUID id, UUID person, Instant requestedAt, List<Confirmation> confirmations) {
    }

    private final DataSource dataSource;

    public Erasures(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public UUID erase(String tenantId, UUID person, String requestedBy, MatchKeys keys, Instant at) {
        return Sql.transaction(dataSource, c -> {
            Sql.query(c, "SELECT id FROM persons WHERE id = ? FOR UPDATE", rs -> 1, person);
            List<GraphNode> nodes = Sql.query(c, """
                    SELECT id, type, match_key, person_id, value, sealed, quarantined, first_seen, last_seen
                    FROM identifiers WHERE person_id = ?""", GraphNodes::node, person);
            UUID erasure = Ids.newId();
            StringBuilder payload = new StringBuilder();
            for (GraphNode n : nodes) {
                String value = n.sealed() != null ? keys.decrypt(tenantId, n.sealed()) : n.value() == null ? "" : n.value();
                payload.append(n.type().code()).append('\t').append(n.matchKey()).append('\t').append(value).append('\n');
            }
            Sql.update(c, "INSERT INTO erasures (id, tenant_id, person_id, requested_at, requested_by, identifiers) VALUES (?, ?, ?, ?, ?, ?)",
                    erasure, tenantId, person, at, requestedBy, keys.encrypt(tenantId, payload.toString()));
            for (GraphNode n : nodes) {
                Sql.update(c, """
                        INSERT INTO suppressions (tenant_id, type, match_key, erasure_id, at) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT DO NOTHING""", tenantId, n.type().code(), n.matchKey(), erasure, at);
            }
            Sql.update(c, "DELETE FROM identifiers WHERE person_id = ?", person);
            Sql.update(c, "UPDATE persons SET erased_at = ? WHERE id = ? OR merged_into = ?", at, person, person);
            Sql.update(c, "INSERT INTO merge_log (tenant_id, at, kind, person_id, detail) VALUES (?, ?, 'erase', ?, ?)",
                    tenantId, at, person, "erasure " + erasure + " requested by " + requestedBy);
            return erasure;
        });
    }

    public Optional<Status> status(String tenantId, UUID erasure) {
        return Sql.transaction(dataSource, c -> {
            List<Status> found = Sql.query(c, "SELECT id, person_id, requested_at FROM erasures WHERE id = ? AND tenant_id = ?",
                    rs -> new Status(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), Sql.instant(rs, "requested_at"),
                            new ArrayList<>()), erasure, tenantId);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            found.get(0).confirmations().addAll(Sql.query(c,
                    "SELECT consumer, confirmed_at, deleted FROM erasure_confirmations WHERE erasure_id = ? ORDER BY consumer",
                    rs -> new Confirmation(rs.getString(1), Sql.instant(rs, "confirmed_at"), rs.getString(3)), erasure));
            return Optional.of(found.get(0));
        });
    }

    /** Erasures the consumer has not confirmed yet, oldest first. */
    public List<Pending> pending(String consumer, int limit, MatchKeys keys) {
        return Sql.transaction(dataSource, c -> {
            List<Object[]> rows = Sql.query(c, """
                    SELECT e.id, e.tenant_id, e.person_id, e.requested_at, e.identifiers FROM erasures e
                    WHERE e.identifiers IS NOT NULL AND NOT EXISTS (
                        SELECT 1 FROM erasure_confirmations x WHERE x.erasure_id = e.id AND x.consumer = ?)
                    ORDER BY e.requested_at, e.id LIMIT ?""",
                    rs -> new Object[] {rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class),
                            Sql.instant(rs, "requested_at"), rs.getBytes(5)}, consumer, limit);
            List<Pending> out = new ArrayList<>();
            for (Object[] row : rows) {
                List<Erased> ids = new ArrayList<>();
                for (String line : keys.decrypt((String) row[1], (byte[]) row[4]).split("\n")) {
                    String[] parts = line.split("\t", -1);
                    if (parts.length == 3) {
                        ids.add(new Erased(IdentifierType.fromCode(parts[0]).orElseThrow(), parts[1], parts[2]));
                    }
                }
                out.add(new Pending((UUID) row[0], (String) row[1], (UUID) row[2], (Instant) row[3], ids));
            }
            return out;
        });
    }

    /** Records a consumer's confirmation; once every consumer confirmed, the sealed identifiers are wiped. */
    public boolean confirm(UUID erasure, String consumer, Map<String, Long> deleted, List<String> consumers, Instant at) {
        return Sql.transaction(dataSource, c -> {
            if (Sql.query(c, "SELECT 1 FROM erasures WHERE id = ?", rs -> 1, erasure).isEmpty()) {
                return false;
            }
            Sql.update(c, """
                    INSERT INTO erasure_confirmations (erasure_id, consumer, confirmed_at, deleted) VALUES (?, ?, ?, ?)
                    ON CONFLICT (erasure_id, consumer) DO NOTHING""", erasure, consumer, at, deleted.toString());
            long confirmed = Sql.query(c, "SELECT count(*) FROM erasure_confirmations WHERE erasure_id = ? AND consumer = ANY(?)",
                    rs -> rs.getLong(1), erasure, consumers.toArray(String[]::new)).get(0);
            if (confirmed >= consumers.size()) {
                Sql.update(c, "UPDATE erasures SET identifiers = NULL WHERE id = ?", erasure);
            }
            return true;
        });
    }
}
