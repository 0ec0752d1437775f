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
 * The reads a link makes under its key locks before it writes: whether a link of known nodes only sees them again (answered
 * without a person lock, moving at most their last_seen), the persons locked in id order with what the merge guards need
 * of them and the event's nodes read again in the same round trip, and the unique ids seen with shared values.
 */
final class PersonLocks {

    private PersonLocks() {
    }

    /**
     * A link of these nodes (all known, all the person's) when the chain of edges it would draw between them (id order) is
     * drawn already: it writes at most last_seen of nodes and edges an hour old, moved here without locking the person (a
     * merge or split committed meanwhile orders after the link; a deadlock with one is retried). Answers whether the person
     * had paid before {@code at}; null when the link must take the full path (a node quarantined, an edge not drawn yet,
     * the person merged away meanwhile). {@code commit}: the transaction's COMMIT goes with the last statement sent, the
     * read when no node is an hour old (then an edge that is makes the link start over, {@link IdentityGraph.StartOver}),
     * else the update.
     */
    static Boolean seenAgain(Connection c, UUID person, java.util.Collection<GraphNode> nodes, Instant at, boolean commit)
            throws SQLException {
        if (nodes.stream().anyMatch(GraphNode::quarantined)) {
            return null;
        }
        Instant staleBefore = at.minus(GraphWrites.SEEN_GRANULARITY);
        Long[] staleNodes = nodes.stream().filter(n -> n.lastSeen().isBefore(staleBefore)).map(GraphNode::id).toArray(Long[]::new);
        Long[] ids = nodes.stream().map(GraphNode::id).sorted().toArray(Long[]::new);
        boolean commitWithRead = commit && staleNodes.length == 0;
        boolean grown = ScanFree.graphGrown(c);
        Boolean[] paid = {null};
        Map<String, Instant> edges = new HashMap<>();
        ScanFree.pipelined(c, grown, commitWithRead, """
                SELECT first_paid_at < ? FROM persons WHERE id = ? AND merged_into IS NULL;
                SELECT a, b, last_seen FROM edges WHERE a = ANY(?) AND b = ANY(?)""",
                List.of(rs -> paid[0] = rs.getBoolean(1), rs -> edges.put(rs.getLong(1) + "-" + rs.getLong(2), Sql.instant(rs, "last_seen"))),
                at, person, ids, ids);
        List<Long> staleA = new ArrayList<>();
        List<Long> staleB = new ArrayList<>();
        for (int i = 1; i < ids.length && paid[0] != null; i++) {
            Instant seen = edges.get(ids[i - 1] + "-" + ids[i]);
            if (seen == null) {
                paid[0] = null;
            } else if (seen.isBefore(staleBefore)) {
                staleA.add(ids[i - 1]);
                staleB.add(ids[i]);
            }
        }
        if (paid[0] == null || (commitWithRead && !staleA.isEmpty())) {
            if (commitWithRead) {
                throw new IdentityGraph.StartOver();
            }
            return null;
        }
        StringBuilder sql = new StringBuilder();
        List<Object> params = new ArrayList<>();
        if (staleNodes.length > 0) {
            sql.append("UPDATE identifiers SET last_seen = ? WHERE id = ANY(?) AND last_seen < ?");
            params.addAll(List.of(at, staleNodes, staleBefore));
        }
        if (!staleA.isEmpty()) {
            sql.append(sql.isEmpty() ? "" : ";\n").append("""
                    UPDATE edges e SET last_seen = ? FROM unnest(?::bigint[], ?::bigint[]) AS s (a, b)
                    WHERE e.a = s.a AND e.b = s.b AND e.last_seen < ?""");
            params.addAll(List.of(at, staleA.toArray(Long[]::new), staleB.toArray(Long[]::new), staleBefore));
        }
        if (!sql.isEmpty()) {
            ScanFree.pipelined(c, grown, commit, sql.toString(), List.of(), params.toArray());
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
        GraphNodes.appendNodesRead(sql, params, grown, tenantId, types, matchKeys);
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
