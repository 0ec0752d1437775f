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
        Set<String> lockKeys = new HashSet<>();
        for (LinkEvent event : events) {
            // One value per (type, match key), in a fixed order (new nodes are inserted in it); the key locks are taken in
            // the order of their ids (GraphNodes.lockIds), the same for every link, so links never deadlock on them.
            TreeMap<String, Normalized.Value> byKey = new TreeMap<>();
            for (Normalized.Value v : event.values()) {
                byKey.putIfAbsent(v.type().code() + ":" + keys.matchKey(tenantId, v.value()), v);
            }
            keyed.add(byKey);
            byKey.keySet().forEach(k -> lockKeys.add(tenantId + "/" + k));
        }
        return Sql.transaction(dataSource, c -> {
            // The keys are locked and every event's nodes and suppressions read in one round trip; an event whose keys no
            // earlier event of the batch touched starts from that read instead of one of its own (a node it shows absent
            // cannot appear while the locks are held; a person id it shows may have moved, which the person locking re-reads).
            Map<String, GraphNode> batchNodes = null;
            Set<String> batchSuppressed = new HashSet<>();
            if (!lockKeys.isEmpty()) {
                Set<String> batchKeys = new java.util.LinkedHashSet<>();
                keyed.forEach(k -> batchKeys.addAll(k.keySet()));
                batchNodes = GraphNodes.lockAndRead(c, lockKeys, tenantId, GraphNodes.types(batchKeys),
                        GraphNodes.matchKeys(batchKeys), events.size() > 1, batchSuppressed);
            }
            Set<String> touched = new HashSet<>();
            List<LinkResult> out = new ArrayList<>(events.size());
            for (int i = 0; i < events.size(); i++) {
                TreeMap<String, Normalized.Value> byKey = keyed.get(i);
                boolean fromBatchRead = batchNodes != null && byKey.keySet().stream().noneMatch(touched::contains);
                out.add(linkOne(c, tenantId, keys, byKey, events.get(i), limits, fromBatchRead ? batchNodes : null, batchSuppressed));
                touched.addAll(byKey.keySet());
            }
            return out;
        });
    }

    /** {@code batchNodes}: the batch's read of nodes when it still holds for this event's keys, else null (read them now). */
    private LinkResult linkOne(Connection c, String tenantId, MatchKeys keys, TreeMap<String, Normalized.Value> byKey, LinkEvent event,
            MergePlan.Limits limits, Map<String, GraphNode> batchNodes, Set<String> batchSuppressed) throws SQLException {
        String source = event.source();
        String eventId = event.eventId();
        Instant at = event.at();
        for (Refused r : event.refusedEarly()) {
            decision(c, tenantId, at, r.type(), null, r.reason(), r.detail(), source, eventId);
        }
        if (byKey.isEmpty()) {
            return new LinkResult(null, false, false, List.of());
        }
        String[] types = GraphNodes.types(byKey.keySet());
        String[] matchKeys = GraphNodes.matchKeys(byKey.keySet());
        Set<String> suppressed = new HashSet<>();
        Map<String, GraphNode> existing;
        if (batchNodes != null) {
            existing = new HashMap<>();
            for (String key : byKey.keySet()) {
                if (batchNodes.containsKey(key)) {
                    existing.put(key, batchNodes.get(key));
                }
                if (batchSuppressed.contains(key)) {
                    suppressed.add(key);
                }
            }
        } else {
            existing = GraphNodes.withSuppressions(c, tenantId, types, matchKeys, suppressed);
        }
        suppressed.retainAll(byKey.keySet());
        boolean uniquesInEvent = byKey.values().stream().anyMatch(v -> v.type().unique());
        UUID[] personIds = personsOf(existing);
        if (personIds.length == 1 && existing.size() == byKey.size() && suppressed.isEmpty() && !uniquesInEvent) {
            // Every identifier is known, all of one person: unless a node or an edge between them needs its hour of
            // last_seen moved, the link changes nothing and is answered from what it reads, without locking the person
            // (a merge or split committed meanwhile orders after it) and without a write, so it costs no WAL flush.
            Boolean paidBefore = paidIfUnchanged(c, personIds[0], existing.values(), at);
            if (paidBefore != null) {
                return new LinkResult(personIds[0], false, paidBefore, List.of());
            }
        }
        // Lock the persons the nodes belong to, then re-read the nodes: a merge committed while we waited may have
        // moved them; repeat until the locked persons are the ones the nodes point to. No node yet: nothing to lock
        // (the advisory locks on the keys keep anyone else from creating them meanwhile).
        Map<UUID, MergePlan.PersonFacts> facts = new HashMap<>();
        Set<UUID> paid = new HashSet<>();
        for (int round = 0; personIds.length > 0; round++) {
            // Counts and unique ids matter only when identifiers join a person or persons merge.
            boolean withCounts = personIds.length > 1 || existing.size() < byKey.size();
            Map<String, GraphNode> again = new HashMap<>();
            Set<String> suppressedNow = new HashSet<>();
            facts = lockPersons(c, personIds, withCounts, paid, at, tenantId, types, matchKeys, again, suppressedNow);
            UUID[] now = personsOf(again);
            boolean stable = java.util.Arrays.equals(personIds, now) && (withCounts || again.size() == byKey.size());
            existing = again;
            // An erasure committed while the person lock was waited for deleted the nodes and suppressed their values:
            // they must be refused, not made again.
            suppressed.clear();
            suppressed.addAll(suppressedNow);
            suppressed.retainAll(byKey.keySet());
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
        List<GraphNode> seen = new ArrayList<>();
        List<MergePlan.Candidate> inserts = new ArrayList<>();
        for (MergePlan.Candidate candidate : plan.attached()) {
            GraphNode node = existing.get(candidate.type().code() + ":" + candidate.matchKey());
            if (node != null) {
                seen.add(node);
            } else {
                inserts.add(candidate);
            }
        }
        // Nothing to attach and no one to join (every value refused: erased, a hub, over a limit): no person is made.
        boolean nobody = created && plan.attached().isEmpty();
        Map<String, Long> inserted = nobody ? Map.of() : attach(c, tenantId, keys, created, survivor, inserts, valueOf, seen, at, source, eventId);
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
        return nobody ? new LinkResult(null, false, false, plan.refused()) : new LinkResult(survivor, created, paidBefore, plan.refused());
    }

    /**
     * Whether the person had paid before {@code at}, when a link of these nodes (all the person's, none quarantined)
     * would write nothing: every node and every edge of the chain the link would draw between them (id order) was seen
     * within the last hour. Null when it would write (or the person is gone).
     */
    private static Boolean paidIfUnchanged(Connection c, UUID person, java.util.Collection<GraphNode> nodes, Instant at) throws SQLException {
        Instant staleBefore = at.minus(SEEN_GRANULARITY);
        if (nodes.stream().anyMatch(n -> n.quarantined() || n.lastSeen().isBefore(staleBefore))) {
            return null;
        }
        Long[] ids = nodes.stream().map(GraphNode::id).sorted().toArray(Long[]::new);
        Boolean[] paid = {null};
        Set<String> freshEdges = new HashSet<>();
        Sql.pipelined(c, """
                SELECT first_paid_at < ? FROM persons WHERE id = ? AND merged_into IS NULL;
                SELECT a, b FROM edges WHERE a = ANY(?) AND b = ANY(?) AND last_seen >= ?""",
                List.of(rs -> paid[0] = rs.getBoolean(1), rs -> freshEdges.add(rs.getLong(1) + "-" + rs.getLong(2))),
                at, person, ids, ids, staleBefore);
        for (int i = 1; i < ids.length && paid[0] != null; i++) {
            if (!freshEdges.contains(ids[i - 1] + "-" + ids[i])) {
                return null;
            }
        }
        return paid[0];
    }

    private static UUID[] personsOf(Map<String, GraphNode> nodes) {
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
    private static Map<UUID, MergePlan.PersonFacts> lockPersons(Connection c, UUID[] personIds, boolean withCounts, Set<UUID> paid,
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
        sql.append(GraphNodes.NODES_AND_SUPPRESSIONS);
        params.addAll(List.of(tenantId, matchKeys, types, tenantId, matchKeys, types));
        readers.add(GraphNodes.nodeOrSuppression(types, matchKeys, nodes, suppressed));
        Sql.pipelined(c, sql.toString(), readers, params.toArray());
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
        ScanFree.update(c, "INSERT INTO merge_log (tenant_id, at, kind, person_id, others, detail) VALUES (?, ?, 'merge', ?, ?, ?)",
                tenantId, at, survivor, new UUID[] {absorbed}, "linked by " + source + " event " + eventId);
    }

    /**
     * What a link writes for one person: last_seen of the nodes seen again when it is an hour old or more (kept to the
     * hour: a returning visitor's link then mostly writes nothing, so it costs no WAL flush), then in one statement the
     * person when {@code create}, the new nodes and a chain of edges over all of them in id order (the fewest edges that
     * connect them). Answers the new nodes' ids by "type:match key". The foreign keys are checked at the end of the
     * statement, so the person and the nodes may be inserted by it. That statement reads no table ({@link ScanFree}).
     */
    private static Map<String, Long> attach(Connection c, String tenantId, MatchKeys keys, boolean create, UUID person,
            List<MergePlan.Candidate> candidates, Map<MergePlan.Candidate, Normalized.Value> valueOf, List<GraphNode> seen, Instant at,
            String source, String eventId) throws SQLException {
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
            ScanFree.query(c, """
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
        ScanFree.query(c, """
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
