package io.throughline.identity.store;

import io.throughline.commons.sql.Sql;
import io.throughline.identity.domain.IdentifierType;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Reads of identifier nodes by their (type, match key): for links (with the suppression list), Resolve and the person views. */
final class GraphNodes {

    private GraphNodes() {
    }

    /** The types of "type:match key" keys, in their order. */
    static String[] types(java.util.Collection<String> keys) {
        return keys.stream().map(k -> k.substring(0, k.indexOf(':'))).toArray(String[]::new);
    }

    /** The match keys of "type:match key" keys, in their order. */
    static String[] matchKeys(java.util.Collection<String> keys) {
        return keys.stream().map(k -> k.substring(k.indexOf(':') + 1)).toArray(String[]::new);
    }

    /**
     * The event's keys locked (advisory locks on {@link #lockIds} of "tenant/type:match key" strings, taken in ascending
     * order by one statement, so that concurrent links never deadlock on them) and, in the same round trip, their nodes and
     * which of them are suppressed (erased values): {@link Sql#pipelined} runs the read after the locks are held, with a
     * snapshot of its own, so it sees whatever the link that held a key before committed. {@code join}: the read joins
     * the (type, key) pairs (a batch's many keys) instead of matching two ANY lists, whose cross product makes a B-tree
     * descent per combination (75 keys of 3 types: 225 descents, and as many on the suppressions); for one event's few
     * keys the lists plan and run faster. Both statements are planned for their values until the graph has grown
     * ({@link ScanFree#graphGrown}).
     */
    static Map<String, GraphNode> lockAndRead(Connection c, java.util.Collection<String> lockKeys, String tenantId, String[] types,
            String[] matchKeys, boolean join, Set<String> suppressed) throws SQLException {
        Map<String, GraphNode> out = new HashMap<>();
        long[] ids = lockIds(lockKeys);
        // One call per key in the select list (evaluated in order): planned in a fraction of an unnest with ordinality.
        StringBuilder sql = new StringBuilder("SELECT ");
        List<Object> params = new java.util.ArrayList<>(ids.length + 6);
        for (int i = 0; i < ids.length; i++) {
            sql.append(i == 0 ? "" : ", ").append("pg_advisory_xact_lock(?)");
            params.add(ids[i]);
        }
        // Once the graph has grown the read keeps a generic plan, and only the join's is a loop of index lookups
        // whatever the number of keys (the lists' generic plan, measured: Link fell from about 1,100 to 159 links/s).
        boolean grown = ScanFree.graphGrown(c);
        join |= grown;
        sql.append(";\n");
        appendNodesRead(sql, params, join, tenantId, types, matchKeys);
        ScanFree.pipelined(c, grown, sql.toString(), java.util.Arrays.asList(null, nodeOrSuppression(types, matchKeys, out, suppressed)),
                params.toArray());
        return out;
    }

    /**
     * Appends the read of the keys' nodes and suppressions, {@code joined} with the (type, key) pairs (the form whose
     * generic plan is a loop of index lookups) or as two ANY lists, and its parameters in that form's order.
     */
    static void appendNodesRead(StringBuilder sql, List<Object> params, boolean joined, String tenantId, String[] types,
            String[] matchKeys) {
        sql.append(joined ? JOINED_NODES_AND_SUPPRESSIONS : NODES_AND_SUPPRESSIONS);
        params.addAll(joined ? List.of(types, matchKeys, tenantId, types, matchKeys, tenantId)
                : List.of(tenantId, matchKeys, types, tenantId, matchKeys, types));
    }

    /**
     * The advisory lock ids of lock keys: the first 8 bytes of each key's SHA-256, distinct and ascending (the one
     * order every link takes them in). Every instance of the service computes the same ids.
     */
    static long[] lockIds(java.util.Collection<String> lockKeys) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            return lockKeys.stream().mapToLong(k -> java.nio.ByteBuffer.wrap(sha.digest(k.getBytes(java.nio.charset.StandardCharsets.UTF_8))).getLong())
                    .distinct().sorted().toArray();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The nodes of the given keys and, in the same statement, which of the keys are suppressed (erased values). */
    static Map<String, GraphNode> withSuppressions(Connection c, String tenantId, String[] types, String[] matchKeys,
            Set<String> suppressed) throws SQLException {
        Map<String, GraphNode> out = new HashMap<>();
        Sql.query(c, NODES_AND_SUPPRESSIONS, nodeOrSuppression(types, matchKeys, out, suppressed),
                tenantId, matchKeys, types, tenantId, matchKeys, types);
        return out;
    }

    /** Nodes, then suppressed keys, of (tenant, match keys, types, tenant, match keys, types); rows outside the pairs are dropped. */
    static final String NODES_AND_SUPPRESSIONS = """
            SELECT id, type, match_key, person_id, value, sealed, quarantined, first_seen, last_seen, false AS suppressed
            FROM identifiers WHERE tenant_id = ? AND match_key = ANY(?) AND type = ANY(?)
            UNION ALL
            SELECT NULL, type, match_key, NULL, NULL, NULL, false, NULL, NULL, true
            FROM suppressions WHERE tenant_id = ? AND match_key = ANY(?) AND type = ANY(?)""";

    /** The same of (types, match keys, tenant, types, match keys, tenant), joined with the (type, key) pairs. */
    private static final String JOINED_NODES_AND_SUPPRESSIONS = """
            SELECT i.id, i.type, i.match_key, i.person_id, i.value, i.sealed, i.quarantined, i.first_seen, i.last_seen, false AS suppressed
            FROM unnest(?::text[], ?::text[]) AS k(t, m) JOIN identifiers i ON i.tenant_id = ? AND i.match_key = k.m AND i.type = k.t
            UNION ALL
            SELECT NULL, s.type, s.match_key, NULL, NULL, NULL, false, NULL, NULL, true
            FROM unnest(?::text[], ?::text[]) AS k(t, m) JOIN suppressions s ON s.tenant_id = ? AND s.match_key = k.m AND s.type = k.t""";

    /** The "type:match key" pairs of two parallel arrays. */
    private static Set<String> pairs(String[] types, String[] matchKeys) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < types.length; i++) {
            out.add(types[i] + ":" + matchKeys[i]);
        }
        return out;
    }

    /** Rows of the reads above: a wanted key's node into {@code out}, or its key into {@code suppressed}. */
    static Sql.Row<Integer> nodeOrSuppression(String[] types, String[] matchKeys, Map<String, GraphNode> out, Set<String> suppressed) {
        Set<String> wanted = pairs(types, matchKeys);
        return rs -> {
            String key = rs.getString("type") + ":" + rs.getString("match_key");
            if (wanted.contains(key)) {
                if (rs.getBoolean("suppressed")) {
                    suppressed.add(key);
                } else {
                    out.put(key, node(rs));
                }
            }
            return 1;
        };
    }

    /**
     * The nodes of the given (type, key) pairs. Written as two ANY lists (then paired here) because a join on
     * unnest() turns into a sequential scan once PostgreSQL switches the prepared statement to a generic plan.
     */
    static List<GraphNode> nodes(Connection c, String tenantId, String[] types, String[] matchKeys) throws SQLException {
        List<GraphNode> out = new java.util.ArrayList<>();
        if (ScanFree.graphGrown(c)) {
            // As the link's read once the graph has grown: the joined form, kept prepared with its generic plan.
            ScanFree.pipelined(c, true, JOINED_NODES, List.of(paired(types, matchKeys, out::add)), types, matchKeys, tenantId);
            return out;
        }
        Sql.query(c, NODES, paired(types, matchKeys, out::add), tenantId, matchKeys, types);
        return out;
    }

    /** Nodes of (types, match keys, tenant), joined with the (type, key) pairs. */
    private static final String JOINED_NODES = """
            SELECT i.id, i.type, i.match_key, i.person_id, i.value, i.sealed, i.quarantined, i.first_seen, i.last_seen
            FROM unnest(?::text[], ?::text[]) AS k(t, m) JOIN identifiers i ON i.tenant_id = ? AND i.match_key = k.m AND i.type = k.t""";

    /** Nodes of (tenant, match keys, types): the cross product of the lists, which {@link #paired} narrows to the pairs. */
    private static final String NODES = """
            SELECT id, type, match_key, person_id, value, sealed, quarantined, first_seen, last_seen
            FROM identifiers WHERE tenant_id = ? AND match_key = ANY(?) AND type = ANY(?)""";

    /** Rows of {@link #NODES}: each node of a wanted (type, key) pair to {@code sink}. */
    private static Sql.Row<Integer> paired(String[] types, String[] matchKeys, java.util.function.Consumer<GraphNode> sink) {
        Set<String> wanted = pairs(types, matchKeys);
        return rs -> {
            GraphNode n = node(rs);
            if (wanted.contains(n.type().code() + ":" + n.matchKey())) {
                sink.accept(n);
            }
            return 1;
        };
    }

    static GraphNode node(java.sql.ResultSet rs) throws SQLException {
        return new GraphNode(rs.getLong("id"), IdentifierType.fromCode(rs.getString("type")).orElseThrow(),
                rs.getString("match_key"), rs.getObject("person_id", UUID.class), rs.getString("value"), rs.getBytes("sealed"),
                rs.getBoolean("quarantined"), Sql.instant(rs, "first_seen"), Sql.instant(rs, "last_seen"));
    }
}
