package io.throughline.identity.store;

import io.throughline.commons.sql.Sql;
import io.throughline.identity.domain.IdentifierType;
import io.throughline.identity.domain.MergePlan;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The reads a link makes under its key locks before it writes: whether a link of known nodes would change nothing (answered
 * without a person lock), the persons locked in id order with what the merge guards need of them and the event's nodes read
 * again in the same round trip, and the unique ids seen with shared values.
 */
final class PersonLocks {

    private PersonLocks() {
    }

    /**
     * Whether the person had paid before {@code at}, when a link of these nodes (all the person's, none quarantined)
     * would write nothing: every node and every edge of the chain the link would draw between them (id order) was seen
     * within the last hour. Null when it would write (or the person is gone). {@code commit}: the transaction's COMMIT is
     * sent with the read: the link is done if it answers, else it must start over, its locks gone ({@link IdentityGraph.StartOver});
     * when a node shows the link would write, nothing is sent and the transaction stays open.
     */
    static Boolean paidIfUnchanged(Connection c, UUID person, java.util.Collection<GraphNode> nodes, Instant at, boolean commit)
            throws SQLException {
        Instant staleBefore = at.minus(GraphWrites.SEEN_GRANULARITY);
        if (nodes.stream().anyMatch(n -> n.quarantined() || n.lastSeen().isBefore(staleBefore))) {
            return null;
        }
        Long[] ids = nodes.stream().map(GraphNode::id).sorted().toArray(Long[]::new);
        Boolean[] paid = {null};
        Set<String> freshEdges = new HashSet<>();
        ScanFree.pipelined(c, ScanFree.graphGrown(c), commit, """
                SELECT first_paid_at < ? FROM persons WHERE id = ? AND merged_into IS NULL;
                SELECT a, b FROM edges WHERE a = ANY(?) AND b = ANY(?) AND last_seen >= ?""",
                List.of(rs -> paid[0] = rs.getBoolean(1), rs -> freshEdges.add(rs.getLong(1) + "-" + rs.getLong(2))),
                at, person, ids, ids, staleBefore);
        for (int i = 1; i < ids.length && paid[0] != null; i++) {
            if (!freshEdges.contains(ids[i - 1] + "-" + ids[i])) {
                paid[0] = null;
            }
        }
        if (paid[0] == null && commit) {
            throw new IdentityGraph.StartOver();
        }
        return paid[0];
    }

    static UUID[] personsOf(Map<String, GraphNode> nodes) {
        return nodes.values().stream().map(GraphNode::person).filter(p -> p != null).distinct().sorted().toArray(UUID[]::new);
    }

    /**
     * Locks the persons (in id order), reads what the merge guards need of them and, in the same round trip, the event's
     * nodes again into {@code nodes} and its suppressed keys into {@code suppressed} (a merge committed while the locks
     * were waited for may have moved them, an erasure deleted and suppressed them).
     * {@code paid} receives the persons that had paid before {@code at}, the event's own time: a lead sent late (an import
     * of history, a replayed spool) from before a person's first payment is not a returning customer's. {@code withCounts}:
     * also their identifier counts and unique ids.
     */
    static Map<UUID, MergePlan.PersonFacts> lockPersons(Connection c, UUID[] personIds, boolean withCounts, Set<UUID> paid,
            Instant at, String tenantId, String[] types, String[] matchKeys, Map<String, GraphNode> nodes, Set<String> suppressed)
            throws SQLException {
        Map<UUID, MergePlan.PersonFacts> facts = new HashMap<>();
        List<Sql.Row<?>> readers = new ArrayList<>();
        readers.add(rs -> {
            UUID id = rs.getObject(1, UUID.class);
            facts.put(id, new MergePlan.PersonFacts(id, Sql.instant(rs, "created_at"), new HashMap<>(), new HashMap<>()));
            if (rs.getBoolean(3)) {
                paid.add(id);
            }
            return 1;
        });
        StringBuilder sql = new StringBuilder("SELECT id, created_at, first_paid_at < ? FROM persons WHERE id = ANY(?) ORDER BY id FOR UPDATE;\n");
        List<Object> params = new ArrayList<>(List.of(at, personIds));
        if (withCounts) {
            sql.append("""
                    SELECT person_id, type, count(*) AS n, array_agg(match_key) FILTER (WHERE type IN ('crm_contact_id', 'user_id')) AS uniques
                    FROM identifiers WHERE person_id = ANY(?) GROUP BY person_id, type;
                    """);
            params.add(personIds);
            readers.add(rs -> {
                MergePlan.PersonFacts f = facts.get(rs.getObject(1, UUID.class));
                IdentifierType type = IdentifierType.fromCode(rs.getString(2)).orElseThrow();
                f.counts().put(type, rs.getInt(3));
                java.sql.Array uniques = rs.getArray(4);
                if (uniques != null) {
                    f.uniqueIds().put(type, new HashSet<>(List.of((String[]) uniques.getArray())));
                }
                return 1;
            });
        }
        // Once the graph has grown these are kept prepared with their generic plans, the nodes read in the joined form.
        boolean grown = ScanFree.graphGrown(c);
        sql.append(grown ? GraphNodes.JOINED_NODES_AND_SUPPRESSIONS : GraphNodes.NODES_AND_SUPPRESSIONS);
        params.addAll(grown ? List.of(types, matchKeys, tenantId, types, matchKeys, tenantId)
                : List.of(tenantId, matchKeys, types, tenantId, matchKeys, types));
        readers.add(GraphNodes.nodeOrSuppression(types, matchKeys, nodes, suppressed));
        ScanFree.pipelined(c, grown, sql.toString(), readers, params.toArray());
        return facts;
    }

    static Map<Long, Set<String>> hubObservations(Connection c, java.util.Collection<GraphNode> nodes) throws SQLException {
        Long[] ids = nodes.stream().filter(n -> !n.type().unique()).map(GraphNode::id).toArray(Long[]::new);
        Map<Long, Set<String>> out = new HashMap<>();
        if (ids.length > 0) {
            for (Object[] row : Sql.query(c, "SELECT identifier_id, unique_key FROM hub_observations WHERE identifier_id = ANY(?)",
                    rs -> new Object[] {rs.getLong(1), rs.getString(2)}, (Object) ids)) {
                out.computeIfAbsent((Long) row[0], k -> new HashSet<>()).add((String) row[1]);
            }
        }
        return out;
    }
}
