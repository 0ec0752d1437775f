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

    public LinkResult link(String tenantId, MatchKeys keys, List<Normalized.Value> values, List<Refused> refusedEarly,
            String source, String eventId, Instant at, MergePlan.Limits limits) {
        // One value per (type, match key), in a fixed order: the lock order that prevents deadlocks.
        TreeMap<String, Normalized.Value> byKey = new TreeMap<>();
        for (Normalized.Value v : values) {
            byKey.putIfAbsent(v.type().code() + ":" + keys.matchKey(tenantId, v.value()), v);
        }
        return Sql.transaction(dataSource, c -> {
            for (String key : byKey.keySet()) {
                Sql.query(c, "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", rs -> 1, tenantId + "/" + key);
            }
            for (Refused r : refusedEarly) {
                decision(c, tenantId, at, r.type(), null, r.reason(), r.detail(), source, eventId);
            }
            if (byKey.isEmpty()) {
                return new LinkResult(null, false, false, List.of());
            }
            String[] types = byKey.keySet().stream().map(k -> k.substring(0, k.indexOf(':'))).toArray(String[]::new);
            String[] matchKeys = byKey.keySet().stream().map(k -> k.substring(k.indexOf(':') + 1)).toArray(String[]::new);
            Set<String> suppressed = new HashSet<>(Sql.query(c, """
                    SELECT type || ':' || match_key FROM suppressions
                    WHERE tenant_id = ? AND match_key = ANY(?) AND type = ANY(?)""", rs -> rs.getString(1), tenantId, matchKeys, types));
            suppressed.retainAll(byKey.keySet());
            // Lock the persons the nodes belong to, then re-read the nodes: a merge committed while we waited
            // may have moved them; repeat until the locked persons are the ones the nodes point to.
            Map<String, GraphNode> existing = new HashMap<>();
            Map<UUID, MergePlan.PersonFacts> facts = Map.of();
            for (int round = 0;; round++) {
                Map<String, GraphNode> read = readNodes(c, tenantId, types, matchKeys);
                UUID[] personIds = personsOf(read);
                facts = lockPersons(c, personIds);
                Map<String, GraphNode> again = readNodes(c, tenantId, types, matchKeys);
                if (java.util.Arrays.equals(personIds, personsOf(again))) {
                    existing = again;
                    break;
                }
                if (round > 20) {
                    throw new SQLException("persons kept moving under a link", "40001");
                }
            }
            Map<Long, Set<String>> hubs = hubObservations(c, existing.values());

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
            UUID survivor = created ? newPerson(c, tenantId, at) : plan.survivor();
            for (UUID absorbed : plan.absorbed()) {
                absorb(c, tenantId, survivor, absorbed, at, source, eventId);
            }
            List<Long> attachedIds = new ArrayList<>();
            for (MergePlan.Candidate candidate : plan.attached()) {
                GraphNode node = existing.get(candidate.type().code() + ":" + candidate.matchKey());
                attachedIds.add(node != null ? touch(c, node.id(), at)
                        : insertNode(c, tenantId, keys, valueOf.get(candidate), candidate.matchKey(), survivor, at));
            }
            for (MergePlan.Candidate candidate : plan.standalone()) {
                insertNode(c, tenantId, keys, valueOf.get(candidate), candidate.matchKey(), newPerson(c, tenantId, at), at);
            }
            edges(c, tenantId, attachedIds, source, eventId, at);
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
            boolean paid = !created && Sql.query(c, "SELECT first_paid_at IS NOT NULL FROM persons WHERE id = ?",
                    rs -> rs.getBoolean(1), survivor).get(0);
            return new LinkResult(survivor, created, paid, plan.refused());
        });
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

    private Map<UUID, MergePlan.PersonFacts> lockPersons(Connection c, UUID[] personIds) throws SQLException {
        Map<UUID, MergePlan.PersonFacts> facts = new HashMap<>();
        if (personIds.length == 0) {
            return facts;
        }
        Sql.query(c, "SELECT id FROM persons WHERE id = ANY(?) ORDER BY id FOR UPDATE", rs -> 1, (Object) personIds);
        Map<UUID, Instant> created = new HashMap<>();
        for (Object[] row : Sql.query(c, "SELECT id, created_at FROM persons WHERE id = ANY(?)",
                rs -> new Object[] {rs.getObject(1, UUID.class), Sql.instant(rs, "created_at")}, (Object) personIds)) {
            created.put((UUID) row[0], (Instant) row[1]);
        }
        for (UUID id : personIds) {
            facts.put(id, new MergePlan.PersonFacts(id, created.get(id), new HashMap<>(), new HashMap<>()));
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
     * last_seen is kept to the hour: a returning visitor's link then writes nothing, so it costs no WAL flush
     * (on these disks a commit that writes waits ~10 ms for fsync).
     */
    private static long touch(Connection c, long nodeId, Instant at) throws SQLException {
        Sql.update(c, "UPDATE identifiers SET last_seen = ? WHERE id = ? AND last_seen < ?", at, nodeId, at.minus(SEEN_GRANULARITY));
        return nodeId;
    }

    private static long insertNode(Connection c, String tenantId, MatchKeys keys, Normalized.Value value, String matchKey,
            UUID person, Instant at) throws SQLException {
        boolean personal = value.type().personal();
        return Sql.query(c, """
                INSERT INTO identifiers (tenant_id, type, match_key, person_id, value, sealed, first_seen, last_seen)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""", rs -> rs.getLong(1), tenantId, value.type().code(), matchKey,
                person, personal ? null : value.value(), personal ? keys.encrypt(tenantId, value.exported()) : null, at, at).get(0);
    }

    private static void insertQuarantined(Connection c, String tenantId, MergePlan.Candidate hub, Instant at) throws SQLException {
        Sql.update(c, """
                INSERT INTO identifiers (tenant_id, type, match_key, person_id, quarantined, first_seen, last_seen)
                VALUES (?, ?, ?, NULL, true, ?, ?) ON CONFLICT (tenant_id, type, match_key) DO UPDATE SET quarantined = true""",
                tenantId, hub.type().code(), hub.matchKey(), at, at);
    }

    /** A chain over the event's identifiers (in id order) connects them with the fewest edges. */
    private static void edges(Connection c, String tenantId, List<Long> ids, String source, String eventId, Instant at)
            throws SQLException {
        List<Long> sorted = ids.stream().distinct().sorted(Comparator.naturalOrder()).toList();
        for (int i = 1; i < sorted.size(); i++) {
            Sql.update(c, """
                    INSERT INTO edges (tenant_id, a, b, source, event_id, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (a, b) DO UPDATE SET last_seen = EXCLUDED.last_seen
                    WHERE edges.last_seen < EXCLUDED.last_seen - interval '1 hour'""",
                    tenantId, sorted.get(i - 1), sorted.get(i), source, eventId, at, at);
        }
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
