package io.throughline.identity.store;

import io.throughline.commons.id.Ids;
import io.throughline.commons.sql.Sql;
import io.throughline.identity.domain.GuardReason;
import io.throughline.identity.domain.IdentifierType;
import io.throughline.identity.domain.MatchKeys;
import io.throughline.identity.domain.MergePlan;
import io.throughline.identity.domain.Normalized;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Applies link events to the graph in one transaction each. Advisory locks on the event's identifier keys
 * (taken in a fixed order) and row locks on the persons it touches serialize whatever could merge the same
 * component, so concurrent links never lose or duplicate a merge.
 */
@ApplicationScoped
public class IdentityGraph {

    /** What a link did: the person, whether it existed before, whether it paid before, what was refused. */
    public record LinkResult(UUID person, boolean created, boolean paidBefore, List<MergePlan.Refusal> refused) {
    }

    /** A value the caller already refused (normalization, blocked value), to be recorded with the event. */
    public record Refused(IdentifierType type, GuardReason reason, String detail) {
    }

    private static final java.time.Duration SEEN_GRANULARITY = java.time.Duration.ofHours(1);

    private final DataSource dataSource;
    private final ComponentSplitter components;

    public IdentityGraph(DataSource dataSource, ComponentSplitter components) {
        this.dataSource = dataSource;
        this.components = components;
    }

    /** One link event of a batch: its normalized values, what was refused before, where and when it was seen. */
    public record LinkEvent(List<Normalized.Value> values, List<Refused> refusedEarly, String source, String eventId, Instant at) {
    }

    public LinkResult link(String tenantId, MatchKeys keys, List<Normalized.Value> values, List<Refused> refusedEarly,
            String source, String eventId, Instant at, MergePlan.Limits limits) {
        return linkAll(tenantId, keys, List.of(new LinkEvent(values, refusedEarly, source, eventId, at)), limits).get(0);
    }

    /**
     * Applies the events in order in one transaction (one commit for all of them): the advisory locks of every
     * event's keys are taken first, in one statement and a fixed order, so batches never deadlock on them; each
     * event then sees what the ones before it wrote. A conflict with a concurrent link retries the whole batch.
     */
    public List<LinkResult> linkAll(String tenantId, MatchKeys keys, List<LinkEvent> events, MergePlan.Limits limits) {
        List<TreeMap<String, Normalized.Value>> keyed = new ArrayList<>(events.size());
        java.util.TreeSet<String> lockKeys = new java.util.TreeSet<>();
        for (LinkEvent event : events) {
            // One value per (type, match key), in a fixed order: the lock order that prevents deadlocks.
            TreeMap<String, Normalized.Value> byKey = new TreeMap<>();
            for (Normalized.Value v : event.values()) {
                byKey.putIfAbsent(v.type().code() + ":" + keys.matchKey(tenantId, v.value()), v);
            }
            keyed.add(byKey);
            byKey.keySet().forEach(k -> lockKeys.add(tenantId + "/" + k));
        }
        return Sql.transaction(dataSource, c -> {
            if (!lockKeys.isEmpty()) {
                Sql.query(c, """
                        SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0)))
                        FROM (SELECT k FROM unnest(?::text[]) WITH ORDINALITY AS u(k, n) ORDER BY n) AS ordered""",
                        rs -> 1, (Object) lockKeys.toArray(String[]::new));
            }
            List<LinkResult> out = new ArrayList<>(events.size());
            for (int i = 0; i < events.size(); i++) {
                out.add(linkOne(c, tenantId, keys, keyed.get(i), events.get(i), limits));
            }
            return out;
        });
    }

    private LinkResult linkOne(Connection c, String tenantId, MatchKeys keys, TreeMap<String, Normalized.Value> byKey, LinkEvent event,
            MergePlan.Limits limits) throws SQLException {
        String source = event.source();
        String eventId = event.eventId();
        Instant at = event.at();
        for (Refused r : event.refusedEarly()) {
            decision(c, tenantId, at, r.type(), null, r.reason(), r.detail(), source, eventId);
        }
        if (byKey.isEmpty()) {
            return new LinkResult(null, false, false, List.of());
        }
        String[] types = byKey.keySet().stream().map(k -> k.substring(0, k.indexOf(':'))).toArray(String[]::new);
        String[] matchKeys = byKey.keySet().stream().map(k -> k.substring(k.indexOf(':') + 1)).toArray(String[]::new);
        Set<String> suppressed = new HashSet<>();
        Map<String, GraphNode> existing = readNodesAndSuppressions(c, tenantId, types, matchKeys, suppressed);
        suppressed.retainAll(byKey.keySet());
        // Lock the persons the nodes belong to, then re-read the nodes: a merge committed while we waited may have
        // moved them; repeat until the locked persons are the ones the nodes point to. No node yet: nothing to lock
        // (the advisory locks on the keys keep anyone else from creating them meanwhile).
        boolean uniquesInEvent = byKey.values().stream().anyMatch(v -> v.type().unique());
        Map<UUID, MergePlan.PersonFacts> facts = new HashMap<>();
        Set<UUID> paid = new HashSet<>();
        UUID[] personIds = personsOf(existing);
        for (int round = 0; personIds.length > 0; round++) {
            // Counts and unique ids matter only when identifiers join a person or persons merge.
            boolean withCounts = personIds.length > 1 || existing.size() < byKey.size();
            facts = lockPersons(c, personIds, withCounts, paid);
            Map<String, GraphNode> again = readNodes(c, tenantId, types, matchKeys);
            UUID[] now = personsOf(again);
            boolean stable = java.util.Arrays.equals(personIds, now) && (withCounts || again.size() == byKey.size());
            existing = again;
            if (stable) {
                break;
            }
            personIds = now;
            paid.clear();
            if (round > 20) {
                throw new SQLException("persons kept moving under a link", "40001");
            }
        }
        Map<Long, Set<String>> hubs = uniquesInEvent ? hubObservations(c, existing.values()) : Map.of();

        List<MergePlan.Candidate> candidates = new ArrayList<>();
        Map<MergePlan.Candidate, Normalized.Value> valueOf = new HashMap<>();
        for (Map.Entry<String, Normalized.Value> e : byKey.entrySet()) {
            GraphNode node = existing.get(e.getKey());
            String matchKey = e.getKey().substring(e.getKey().indexOf(':') + 1);
            MergePlan.Candidate candidate = new MergePlan.Candidate(e.getValue().type(), matchKey,
                    node == null ? null : node.person(), node != null && node.quarantined(), suppressed.contains(e.getKey()),
                    node == null ? Set.of() : hubs.getOrDefault(node.id(), Set.of()));
            candidates.add(candidate);
            valueOf.put(candidate, e.getValue());
        }
        MergePlan.Outcome plan = MergePlan.plan(candidates, facts, limits);

        boolean created = plan.survivor() == null;
        UUID survivor = created ? Ids.newId() : plan.survivor();
        for (UUID absorbed : plan.absorbed()) {
            absorb(c, tenantId, survivor, absorbed, at, source, eventId);
        }
        List<Long> seen = new ArrayList<>();
        List<MergePlan.Candidate> inserts = new ArrayList<>();
        for (MergePlan.Candidate candidate : plan.attached()) {
            GraphNode node = existing.get(candidate.type().code() + ":" + candidate.matchKey());
            if (node != null) {
                seen.add(node.id());
            } else {
                inserts.add(candidate);
            }
        }
        Map<String, Long> inserted = attach(c, tenantId, keys, created, survivor, inserts, valueOf, seen, at, source, eventId);
        List<Long> attachedIds = new ArrayList<>();
        for (MergePlan.Candidate candidate : plan.attached()) {
            GraphNode node = existing.get(candidate.type().code() + ":" + candidate.matchKey());
            attachedIds.add(node != null ? node.id() : inserted.get(candidate.type().code() + ":" + candidate.matchKey()));
        }
        for (MergePlan.Candidate candidate : plan.standalone()) {
            attach(c, tenantId, keys, true, Ids.newId(), List.of(candidate), valueOf, List.of(), at, source, eventId);
        }
        observeUniques(c, candidates, plan.attached(), attachedIds);
        for (MergePlan.Refusal r : plan.refused()) {
            decision(c, tenantId, at, r.candidate().type(), r.candidate().matchKey(), r.reason(), "", source, eventId);
        }
        for (MergePlan.Candidate hub : plan.toQuarantine()) {
            GraphNode node = existing.get(hub.type().code() + ":" + hub.matchKey());
            if (node != null) {
                components.quarantine(c, tenantId, node.id(), at, "value shared by more than "
                        + limits.hubThreshold() + " persons' unique ids");
            } else {
                insertQuarantined(c, tenantId, hub, at);
            }
        }
        // The survivor has paid before if it or a person it absorbed had (absorb carries the payments over).
        boolean paidBefore = !created && (paid.contains(survivor) || plan.absorbed().stream().anyMatch(paid::contains));
        return new LinkResult(survivor, created, paidBefore, plan.refused());
    }

    /** The nodes of the given keys and, in the same statement, which of the keys are suppressed (erased values). */
    private static Map<String, GraphNode> readNodesAndSuppressions(Connection c, String tenantId, String[] types, String[] matchKeys,
            Set<String> suppressed) throws SQLException {
        Set<String> wanted = new HashSet<>();
        for (int i = 0; i < types.length; i++) {
            wanted.add(types[i] + ":" + matchKeys[i]);
        }
        Map<String, GraphNode> out = new HashMap<>();
        Sql.query(c, """
                SELECT id, type, match_key, person_id, value, sealed, quarantined, first_seen, last_seen, false AS suppressed
                FROM identifiers WHERE tenant_id = ? AND match_key = ANY(?) AND type = ANY(?)
                UNION ALL
                SELECT NULL, type, match_key, NULL, NULL, NULL, false, NULL, NULL, true
                FROM suppressions WHERE tenant_id = ? AND match_key = ANY(?) AND type = ANY(?)""", rs -> {
            String key = rs.getString("type") + ":" + rs.getString("match_key");
            if (wanted.contains(key)) {
                if (rs.getBoolean("suppressed")) {
                    suppressed.add(key);
                } else {
                    out.put(key, node(rs));
                }
            }
            return 1;
        }, tenantId, matchKeys, types, tenantId, matchKeys, types);
        return out;
    }

    private static Map<String, GraphNode> readNodes(Connection c, String tenantId, String[] types, String[] matchKeys)
            throws SQLException {
        Map<String, GraphNode> out = new HashMap<>();
        for (GraphNode n : nodes(c, tenantId, types, matchKeys)) {
            out.put(n.type().code() + ":" + n.matchKey(), n);
        }
        return out;
    }

    private static UUID[] personsOf(Map<String, GraphNode> nodes) {
        return nodes.values().stream().map(GraphNode::person).filter(p -> p != null).distinct().sorted().toArray(UUID[]::new);
    }

    /**
     * The nodes of the given (type, key) pairs. Written as two ANY lists (then paired here) because a join on
     * unnest() turns into a sequential scan once PostgreSQL switches the prepared statement to a generic plan.
     */
    static List<GraphNode> nodes(Connection c, String tenantId, String[] types, String[] matchKeys) throws SQLException {
        Set<String> wanted = new HashSet<>();
        for (int i = 0; i < types.length; i++) {
            wanted.add(types[i] + ":" + matchKeys[i]);
        }
        return Sql.query(c, """
                SELECT id, type, match_key, person_id, value, sealed, quarantined, first_seen, last_seen
                FROM identifiers WHERE tenant_id = ? AND match_key = ANY(?) AND type = ANY(?)""",
                IdentityGraph::node, tenantId, matchKeys, types).stream()
                .filter(n -> wanted.contains(n.type().code() + ":" + n.matchKey())).toList();
    }

    static GraphNode node(java.sql.ResultSet rs) throws SQLException {
        return new GraphNode(rs.getLong("id"), IdentifierType.fromCode(rs.getString("type")).orElseThrow(),
                rs.getString("match_key"), rs.getObject("person_id", UUID.class), rs.getString("value"), rs.getBytes("sealed"),
                rs.getBoolean("quarantined"), Sql.instant(rs, "first_seen"), Sql.instant(rs, "last_seen"));
    }

    /**
     * Locks the persons (in id order) and reads what the merge guards need of them; {@code paid} receives those
     * that have paid. {@code withCounts}: also their identifier counts and unique ids (one more statement).
     */
    private Map<UUID, MergePlan.PersonFacts> lockPersons(Connection c, UUID[] personIds, boolean withCounts, Set<UUID> paid)
            throws SQLException {
        Map<UUID, MergePlan.PersonFacts> facts = new HashMap<>();
        for (Object[] row : Sql.query(c, "SELECT id, created_at, first_paid_at IS NOT NULL FROM persons WHERE id = ANY(?) ORDER BY id FOR UPDATE",
                rs -> new Object[] {rs.getObject(1, UUID.class), Sql.instant(rs, "created_at"), rs.getBoolean(3)}, (Object) personIds)) {
            UUID id = (UUID) row[0];
            facts.put(id, new MergePlan.PersonFacts(id, (Instant) row[1], new HashMap<>(), new HashMap<>()));
            if ((Boolean) row[2]) {
                paid.add(id);
            }
        }
        if (!withCounts) {
            return facts;
        }
        for (Object[] row : Sql.query(c, """
                SELECT person_id, type, count(*) AS n, array_agg(match_key) FILTER (WHERE type IN ('crm_contact_id', 'user_id')) AS uniques
                FROM identifiers WHERE person_id = ANY(?) GROUP BY person_id, type""",
                rs -> new Object[] {rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3), rs.getArray(4)}, (Object) personIds)) {
            MergePlan.PersonFacts f = facts.get((UUID) row[0]);
            IdentifierType type = IdentifierType.fromCode((String) row[1]).orElseThrow();
            f.counts().put(type, (Integer) row[2]);
            if (row[3] != null) {
                f.uniqueIds().put(type, new HashSet<>(List.of((String[]) ((java.sql.Array) row[3]).getArray())));
            }
        }
        return facts;
    }

    private static Map<Long, Set<String>> hubObservations(Connection c, java.util.Collection<GraphNode> nodes) throws SQLException {
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

    static UUID newPerson(Connection c, String tenantId, Instant at) throws SQLException {
        UUID id = Ids.newId();
        Sql.update(c, "INSERT INTO persons (id, tenant_id, created_at) VALUES (?, ?, ?)", id, tenantId, at);
        return id;
    }

    private static void absorb(Connection c, String tenantId, UUID survivor, UUID absorbed, Instant at, String source,
            String eventId) throws SQLException {
        Sql.update(c, "UPDATE identifiers SET person_id = ? WHERE person_id = ?", survivor, absorbed);
        Sql.update(c, """
                UPDATE persons s SET first_paid_at = LEAST(s.first_paid_at, a.first_paid_at),
                       last_paid_at = GREATEST(s.last_paid_at, a.last_paid_at), payments = s.payments + a.payments,
                       created_at = LEAST(s.created_at, a.created_at)
                FROM persons a WHERE s.id = ? AND a.id = ?""", survivor, absorbed);
        Sql.update(c, "UPDATE persons SET merged_into = ? WHERE id = ? OR merged_into = ?", survivor, absorbed, absorbed);
        Sql.update(c, "INSERT INTO merge_log (tenant_id, at, kind, person_id, others, detail) VALUES (?, ?, 'merge', ?, ?, ?)",
                tenantId, at, survivor, new UUID[] {absorbed}, "linked by " + source + " event " + eventId);
    }

    /**
     * What a link writes for one person, in one statement: the person when {@code create}, the new nodes, last_seen of
     * the nodes seen again (kept to the hour: a returning visitor's link then writes nothing, so it costs no WAL flush),
     * and a chain of edges over all of them in id order (the fewest edges that connect them). Answers the new nodes'
     * ids by "type:match key". The foreign keys are checked at the end of the statement, so the person and the nodes
     * may be inserted by it.
     */
    private static Map<String, Long> attach(Connection c, String tenantId, MatchKeys keys, boolean create, UUID person,
            List<MergePlan.Candidate> candidates, Map<MergePlan.Candidate, Normalized.Value> valueOf, List<Long> seen, Instant at,
            String source, String eventId) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        if (!create && candidates.isEmpty() && seen.size() < 2) {
            if (!seen.isEmpty()) {
                Sql.update(c, "UPDATE identifiers SET last_seen = ? WHERE id = ? AND last_seen < ?", at, seen.get(0), at.minus(SEEN_GRANULARITY));
            }
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
        Long[] seenIds = seen.toArray(Long[]::new);
        Sql.query(c, """
                WITH person AS (
                    INSERT INTO persons (id, tenant_id, created_at) SELECT ?, ?, ? WHERE ? RETURNING id
                ), fresh AS (
                    INSERT INTO identifiers (tenant_id, type, match_key, person_id, value, sealed, first_seen, last_seen)
                    SELECT ?, t, k, ?, v, s, ?, ? FROM unnest(?::text[], ?::text[], ?::text[], ?::bytea[]) AS u(t, k, v, s)
                    RETURNING id, type, match_key
                ), touched AS (
                    UPDATE identifiers SET last_seen = ? WHERE id = ANY(?::bigint[]) AND last_seen < ? RETURNING id
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
                at, seenIds, at.minus(SEEN_GRANULARITY),
                seenIds,
                tenantId, source, eventId, at, at);
        return out;
    }

    private static void insertQuarantined(Connection c, String tenantId, MergePlan.Candidate hub, Instant at) throws SQLException {
        Sql.update(c, """
                INSERT INTO identifiers (tenant_id, type, match_key, person_id, quarantined, first_seen, last_seen)
                VALUES (?, ?, ?, NULL, true, ?, ?) ON CONFLICT (tenant_id, type, match_key) DO UPDATE SET quarantined = true""",
                tenantId, hub.type().code(), hub.matchKey(), at, at);
    }

    /** Every unique id of the event counts as evidence for the shared values attached, even one refused here. */
    private static void observeUniques(Connection c, List<MergePlan.Candidate> event, List<MergePlan.Candidate> attached,
            List<Long> ids) throws SQLException {
        List<String> uniques = event.stream().filter(a -> a.type().unique() && !a.suppressed())
                .map(a -> a.type().code() + ":" + a.matchKey()).toList();
        for (int i = 0; i < attached.size() && !uniques.isEmpty(); i++) {
            if (!attached.get(i).type().unique()) {
                for (String unique : uniques) {
                    Sql.update(c, "INSERT INTO hub_observations (identifier_id, unique_key) VALUES (?, ?) ON CONFLICT DO NOTHING",
                            ids.get(i), unique);
                }
            }
        }
    }

    static void decision(Connection c, String tenantId, Instant at, IdentifierType type, String matchKey, GuardReason reason,
            String detail, String source, String eventId) throws SQLException {
        Sql.update(c, """
                INSERT INTO guard_decisions (tenant_id, at, type, match_key, reason, detail, source, event_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", tenantId, at, type.code(), matchKey, reason.code(), detail, source, eventId);
    }
}
