package io.throughline.identity.store;

import io.throughline.commons.id.Ids;
import io.throughline.commons.sql.Sql;
import io.throughline.identity.domain.GuardReason;
import io.throughline.identity.domain.IdentifierType;
import io.throughline.identity.domain.MatchKeys;
import io.throughline.identity.domain.MergePlan;
import io.throughline.identity.domain.Normalized;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What a link writes once its plan is made: persons, nodes and edges, merges, quarantined hubs, hub evidence, guard decisions. */
final class GraphWrites {

    /** last_seen of nodes and edges is kept to the hour: a link seen again within it writes nothing. */
    static final Duration SEEN_GRANULARITY = Duration.ofHours(1);

    private GraphWrites() {
    }

    static UUID newPerson(Connection c, String tenantId, Instant at) throws SQLException {
        UUID id = Ids.newId();
        Sql.update(c, "INSERT INTO persons (id, tenant_id, created_at) VALUES (?, ?, ?)", id, tenantId, at);
        return id;
    }

    /** Moves the absorbed person's nodes and payments to the survivor and logs the merge, in one round trip. */
    static void absorb(Connection c, String tenantId, UUID survivor, UUID absorbed, Instant at, String source,
            String eventId) throws SQLException {
        Sql.pipelined(c, """
                UPDATE identifiers SET person_id = ? WHERE person_id = ?;
                UPDATE persons s SET first_paid_at = LEAST(s.first_paid_at, a.first_paid_at),
                       last_paid_at = GREATEST(s.last_paid_at, a.last_paid_at), payments = s.payments + a.payments,
                       created_at = LEAST(s.created_at, a.created_at)
                FROM persons a WHERE s.id = ? AND a.id = ?;
                UPDATE persons SET merged_into = ? WHERE id = ? OR merged_into = ?;
                INSERT INTO merge_log (tenant_id, at, kind, person_id, others, detail) VALUES (?, ?, 'merge', ?, ?, ?)""", List.of(),
                survivor, absorbed, survivor, absorbed, survivor, absorbed, absorbed,
                tenantId, at, survivor, new UUID[] {absorbed}, "linked by " + source + " event " + eventId);
    }

    /**
     * What a link writes for one person: last_seen of the nodes seen again when it is an hour old or more (kept to the
     * hour: a returning visitor's link then mostly writes nothing, so it costs no WAL flush), then in one statement the
     * person when {@code create}, the new nodes and a chain of edges over all of them in id order (the fewest edges that
     * connect them). Answers the new nodes' ids by "type:match key". The foreign keys are checked at the end of the
     * statement, so the person and the nodes may be inserted by it. That statement reads no table ({@link ScanFree}).
     * {@code commit}: the link writes nothing after it, and the transaction's COMMIT goes with it (no round trip of its own);
     * when there is nothing to write, the transaction stays open.
     */
    static Map<String, Long> attach(Connection c, String tenantId, MatchKeys keys, boolean create, UUID person,
            List<MergePlan.Candidate> candidates, Map<MergePlan.Candidate, Normalized.Value> valueOf, List<GraphNode> seen, Instant at,
            String source, String eventId, boolean commit) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        Instant staleBefore = at.minus(SEEN_GRANULARITY);
        Long[] stale = seen.stream().filter(node -> node.lastSeen().isBefore(staleBefore)).map(GraphNode::id).toArray(Long[]::new);
        if (stale.length > 0) {
            Sql.update(c, "UPDATE identifiers SET last_seen = ? WHERE id = ANY(?) AND last_seen < ?", at, stale, staleBefore);
        }
        if (!create && candidates.isEmpty() && seen.size() < 2) {
            return out;
        }
        int n = candidates.size();
        String[] types = new String[n];
        String[] matchKeys = new String[n];
        String[] plain = new String[n];
        byte[][] sealed = new byte[n][];
        for (int i = 0; i < n; i++) {
            Normalized.Value value = valueOf.get(candidates.get(i));
            boolean personal = value.type().personal();
            types[i] = value.type().code();
            matchKeys[i] = candidates.get(i).matchKey();
            plain[i] = personal ? null : value.value();
            sealed[i] = personal ? keys.encrypt(tenantId, value.exported()) : null;
        }
        if (create && seen.isEmpty()) {
            // A new person made of new nodes (most link events): nothing to touch, no edge that can exist already. This
            // statement plans in about half the time of the general one below, and every statement here is planned anew.
            ScanFree.write(c, commit, """
                    WITH person AS (
                        INSERT INTO persons (id, tenant_id, created_at) VALUES (?, ?, ?)
                    ), fresh AS (
                        INSERT INTO identifiers (tenant_id, type, match_key, person_id, value, sealed, first_seen, last_seen)
                        SELECT ?, t, k, ?, v, s, ?, ? FROM unnest(?::text[], ?::text[], ?::text[], ?::bytea[]) AS u(t, k, v, s)
                        RETURNING id, type, match_key
                    ), linked AS (
                        INSERT INTO edges (tenant_id, a, b, source, event_id, first_seen, last_seen)
                        SELECT ?, a, b, ?, ?, ?, ? FROM (SELECT id AS a, lead(id) OVER (ORDER BY id) AS b FROM fresh) AS chain WHERE b IS NOT NULL
                    )
                    SELECT id, type, match_key FROM fresh""", rs -> out.put(rs.getString(2) + ":" + rs.getString(3), rs.getLong(1)),
                    person, tenantId, at,
                    tenantId, person, at, at, types, matchKeys, plain, sealed,
                    tenantId, source, eventId, at, at);
            return out;
        }
        Long[] seenIds = seen.stream().map(GraphNode::id).toArray(Long[]::new);
        ScanFree.write(c, commit, """
                WITH person AS (
                    INSERT INTO persons (id, tenant_id, created_at) SELECT ?, ?, ? WHERE ? RETURNING id
                ), fresh AS (
                    INSERT INTO identifiers (tenant_id, type, match_key, person_id, value, sealed, first_seen, last_seen)
                    SELECT ?, t, k, ?, v, s, ?, ? FROM unnest(?::text[], ?::text[], ?::text[], ?::bytea[]) AS u(t, k, v, s)
                    RETURNING id, type, match_key
                ), chain AS (
                    SELECT id AS a, lead(id) OVER (ORDER BY id) AS b
                    FROM (SELECT id FROM fresh UNION SELECT unnest(?::bigint[])) AS ids (id)
                ), linked AS (
                    INSERT INTO edges (tenant_id, a, b, source, event_id, first_seen, last_seen)
                    SELECT ?, a, b, ?, ?, ?, ? FROM chain WHERE b IS NOT NULL
                    ON CONFLICT (a, b) DO UPDATE SET last_seen = EXCLUDED.last_seen
                    WHERE edges.last_seen < EXCLUDED.last_seen - interval '1 hour'
                )
                SELECT id, type, match_key FROM fresh""", rs -> out.put(rs.getString(2) + ":" + rs.getString(3), rs.getLong(1)),
                person, tenantId, at, create,
                tenantId, person, at, at, types, matchKeys, plain, sealed,
                seenIds,
                tenantId, source, eventId, at, at);
        return out;
    }

    static void insertQuarantined(Connection c, String tenantId, MergePlan.Candidate hub, Instant at) throws SQLException {
        Sql.update(c, """
                INSERT INTO identifiers (tenant_id, type, match_key, person_id, quarantined, first_seen, last_seen)
                VALUES (?, ?, ?, NULL, true, ?, ?) ON CONFLICT (tenant_id, type, match_key) DO UPDATE SET quarantined = true""",
                tenantId, hub.type().code(), hub.matchKey(), at, at);
    }

    /** Every unique id of the event counts as evidence for the shared values attached, even one refused here. */
    static void observeUniques(Connection c, List<MergePlan.Candidate> event, List<MergePlan.Candidate> attached,
            List<Long> ids) throws SQLException {
        List<String> uniques = event.stream().filter(a -> a.type().unique() && !a.suppressed())
                .map(a -> a.type().code() + ":" + a.matchKey()).toList();
        for (int i = 0; i < attached.size() && !uniques.isEmpty(); i++) {
            if (!attached.get(i).type().unique()) {
                for (String unique : uniques) {
                    ScanFree.update(c, "INSERT INTO hub_observations (identifier_id, unique_key) VALUES (?, ?) ON CONFLICT DO NOTHING",
                            ids.get(i), unique);
                }
            }
        }
    }

    static void decision(Connection c, String tenantId, Instant at, IdentifierType type, String matchKey, GuardReason reason,
            String detail, String source, String eventId) throws SQLException {
        ScanFree.update(c, """
                INSERT INTO guard_decisions (tenant_id, at, type, match_key, reason, detail, source, event_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", tenantId, at, type.code(), matchKey, reason.code(), detail, source, eventId);
    }
}
