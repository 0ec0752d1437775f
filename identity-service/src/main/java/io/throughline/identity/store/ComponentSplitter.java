package io.throughline.identity.store;

import io.throughline.commons.sql.Sql;
import io.throughline.identity.domain.Components;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Recomputes a person's connected components after edges were removed: the component holding the person's
 * oldest identifier keeps the person id, every other component becomes a new person. Logged as a split.
 */
@ApplicationScoped
public class ComponentSplitter {

    private final DataSource dataSource;

    public ComponentSplitter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Removes one edge of the person and splits what falls apart; false when the edge is not the person's. */
    public boolean unmergeEdge(String tenantId, UUID person, long edgeId, Instant at) {
        return Sql.transaction(dataSource, c -> {
            Sql.query(c, "SELECT id FROM persons WHERE id = ? FOR UPDATE", rs -> 1, person);
            int removed = Sql.update(c, """
                    DELETE FROM edges e USING identifiers i
                    WHERE e.id = ? AND e.tenant_id = ? AND i.id = e.a AND i.person_id = ?""", edgeId, tenantId, person);
            if (removed == 0) {
                return false;
            }
            Sql.update(c, "INSERT INTO merge_log (tenant_id, at, kind, person_id, detail) VALUES (?, ?, 'unmerge', ?, ?)",
                    tenantId, at, person, "edge " + edgeId + " removed");
            split(c, tenantId, person, at, "after removing edge " + edgeId);
            return true;
        });
    }

    /** Takes one identifier out of the person for good (quarantined) and splits what falls apart. */
    public boolean unmergeIdentifier(String tenantId, UUID person, long identifierId, Instant at) {
        return Sql.transaction(dataSource, c -> {
            Sql.query(c, "SELECT id FROM persons WHERE id = ? FOR UPDATE", rs -> 1, person);
            if (Sql.query(c, "SELECT 1 FROM identifiers WHERE id = ? AND tenant_id = ? AND person_id = ?", rs -> 1,
                    identifierId, tenantId, person).isEmpty()) {
                return false;
            }
            Sql.update(c, "INSERT INTO merge_log (tenant_id, at, kind, person_id, detail) VALUES (?, ?, 'unmerge', ?, ?)",
                    tenantId, at, person, "identifier " + identifierId + " taken out");
            quarantine(c, tenantId, identifierId, at, "taken out by an admin");
            return true;
        });
    }

    /** Takes a value out of the graph: it keeps its node (so it stays quarantined) but loses every edge. */
    public void quarantine(Connection c, String tenantId, long nodeId, Instant at, String why) throws SQLException {
        UUID person = Sql.query(c, "SELECT person_id FROM identifiers WHERE id = ?", rs -> rs.getObject(1, UUID.class), nodeId)
                .stream().findFirst().orElse(null);
        Sql.update(c, "DELETE FROM edges WHERE a = ? OR b = ?", nodeId, nodeId);
        Sql.update(c, "UPDATE identifiers SET quarantined = true, person_id = NULL WHERE id = ?", nodeId);
        if (person != null) {
            Sql.update(c, "INSERT INTO merge_log (tenant_id, at, kind, person_id, detail) VALUES (?, ?, 'quarantine', ?, ?)",
                    tenantId, at, person, why);
            split(c, tenantId, person, at, "after quarantine");
        }
    }

    /** Splits the person into its connected components; returns the new persons' ids. */
    public List<UUID> split(Connection c, String tenantId, UUID person, Instant at, String why) throws SQLException {
        List<GraphNode> nodes = Sql.query(c, """
                SELECT id, type, match_key, person_id, value, sealed, quarantined, first_seen, last_seen
                FROM identifiers WHERE person_id = ?""", GraphNodes::node, person);
        List<UUID> created = new ArrayList<>();
        if (nodes.size() < 2) {
            return created;
        }
        Long[] ids = nodes.stream().map(GraphNode::id).toArray(Long[]::new);
        List<long[]> edges = Sql.query(c, "SELECT a, b FROM edges WHERE a = ANY(?) OR b = ANY(?)",
                rs -> new long[] {rs.getLong(1), rs.getLong(2)}, ids, ids);
        List<List<Long>> groups = Components.of(List.of(ids), edges);
        if (groups.size() < 2) {
            return created;
        }
        Map<Long, GraphNode> byId = nodes.stream().collect(Collectors.toMap(GraphNode::id, Function.identity()));
        Comparator<GraphNode> age = Comparator.comparing(GraphNode::firstSeen).thenComparing(GraphNode::id);
        List<List<Long>> ordered = groups.stream()
                .sorted(Comparator.comparing(g -> g.stream().map(byId::get).min(age).orElseThrow(), age)).toList();
        for (List<Long> group : ordered.subList(1, ordered.size())) {
            Instant since = group.stream().map(byId::get).map(GraphNode::firstSeen).min(Comparator.naturalOrder()).orElse(at);
            UUID fresh = GraphWrites.newPerson(c, tenantId, since);
            Sql.update(c, "UPDATE identifiers SET person_id = ? WHERE id = ANY(?)", fresh, group.toArray(Long[]::new));
            created.add(fresh);
        }
        Sql.update(c, "INSERT INTO merge_log (tenant_id, at, kind, person_id, others, detail) VALUES (?, ?, 'split', ?, ?, ?)",
                tenantId, at, person, created.toArray(UUID[]::new), why);
        return created;
    }
}
