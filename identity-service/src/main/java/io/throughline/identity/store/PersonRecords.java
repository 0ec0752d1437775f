package io.throughline.identity.store;

import io.throughline.commons.sql.Sql;
import io.throughline.identity.domain.MergeGuardSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** Reads of persons and their identifiers, settings, and payment facts. */
@ApplicationScoped
public class PersonRecords {

    /** A merge / split / quarantine / erase entry of the log. */
    public record LogEntry(Instant at, String kind, List<UUID> others, String detail) {
    }

    public record Edge(long id, long a, long b, String source, String eventId, Instant firstSeen, Instant lastSeen) {
    }

    public record Person(UUID id, Instant createdAt, Instant firstPaidAt, int payments) {
    }

    private final DataSource dataSource;

    public PersonRecords(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A guard decision as recorded: what was refused, why, from which event. */
    public record Decision(long id, Instant at, String type, String matchKey, String reason, String detail, String source,
            String eventId) {
    }

    public List<Decision> decisions(String tenantId, long afterId, int limit) {
        return Sql.transaction(dataSource, c -> Sql.query(c, """
                SELECT id, at, type, match_key, reason, detail, source, event_id FROM guard_decisions
                WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?""",
                rs -> new Decision(rs.getLong(1), Sql.instant(rs, "at"), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8)), tenantId, afterId, limit));
    }

    /** How long a workspace's merge-guard settings are reused by links before they are read again. */
    private static final long SETTINGS_TTL_NANOS = java.time.Duration.ofSeconds(2).toNanos();

    private record CachedSettings(MergeGuardSettings settings, long readAt) {
    }

    private final java.util.concurrent.ConcurrentHashMap<String, CachedSettings> settingsCache = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The workspace's merge-guard settings, reused for 2 s (links read them once per event otherwise:
     * a round trip each); a change made through this instance is seen at once, one made elsewhere within 2 s.
     */
    public MergeGuardSettings settings(String tenantId) {
        CachedSettings cached = settingsCache.get(tenantId);
        long now = System.nanoTime();
        if (cached != null && now - cached.readAt() < SETTINGS_TTL_NANOS) {
            return cached.settings();
        }
        // One statement in autocommit: no BEGIN / COMMIT round trips on the link path.
        MergeGuardSettings read = Sql.statements(dataSource, c -> Sql.query(c, "SELECT hub_threshold, role_mailboxes FROM identity_settings WHERE tenant_id = ?",
                rs -> new MergeGuardSettings(rs.getInt(1), List.of((String[]) rs.getArray(2).getArray())), tenantId)
                .stream().findFirst().orElse(MergeGuardSettings.defaults()));
        if (settingsCache.size() > 10_000) {
            settingsCache.clear();
        }
        settingsCache.put(tenantId, new CachedSettings(read, now));
        return read;
    }

    /** Forgets the cached settings of a workspace (after they were changed). */
    public void forgetSettings(String tenantId) {
        settingsCache.remove(tenantId);
    }

    /** What Resolve needs, read in one transaction: the matching nodes, and the chosen person's identifiers and payments. */
    public record Resolution(UUID person, boolean paid, List<GraphNode> identifiers) {
    }

    public Optional<Resolution> resolve(String tenantId, List<String[]> typeAndKey, java.util.function.Function<List<GraphNode>, Optional<UUID>> choose) {
        if (typeAndKey.isEmpty()) {
            return Optional.empty();
        }
        return Sql.transaction(dataSource, c -> {
            List<GraphNode> found = GraphNodes.nodes(c, tenantId, typeAndKey.stream().map(k -> k[0]).toArray(String[]::new),
                    typeAndKey.stream().map(k -> k[1]).toArray(String[]::new));
            Optional<UUID> person = choose.apply(found);
            if (person.isEmpty()) {
                return Optional.<Resolution>empty();
            }
            // The payment flag and the identifiers in one round trip.
            boolean[] paid = {false};
            List<GraphNode> identifiers = new java.util.ArrayList<>();
            ScanFree.pipelined(c, ScanFree.graphGrown(c), """
                    SELECT first_paid_at IS NOT NULL FROM persons WHERE id = ?;
                    SELECT id, type, match_key, person_id, value, sealed, quarantined, first_seen, last_seen FROM identifiers WHERE person_id = ?""",
                    List.of(rs -> paid[0] = rs.getBoolean(1), rs -> identifiers.add(GraphNodes.node(rs))), person.get(), person.get());
            identifiers.sort(java.util.Comparator.comparingLong(GraphNode::id));
            return Optional.of(new Resolution(person.get(), paid[0], identifiers));
        });
    }

    /**
     * Resolve for many items in one transaction and two round trips: every item's nodes, then the chosen persons' payment
     * flags and their identifiers. Answers in the items' order.
     */
    public List<Optional<Resolution>> resolveAll(String tenantId, List<List<String[]>> items,
            java.util.function.Function<List<GraphNode>, Optional<UUID>> choose) {
        List<String> types = new java.util.ArrayList<>();
        List<String> keys = new java.util.ArrayList<>();
        items.forEach(item -> item.forEach(k -> {
            types.add(k[0]);
            keys.add(k[1]);
        }));
        return Sql.transaction(dataSource, c -> {
            List<GraphNode> found = keys.isEmpty() ? List.of()
                    : GraphNodes.nodes(c, tenantId, types.toArray(String[]::new), keys.toArray(String[]::new));
            java.util.Map<String, List<GraphNode>> byKey = new java.util.HashMap<>();
            found.forEach(n -> byKey.computeIfAbsent(n.type().code() + ":" + n.matchKey(), k -> new java.util.ArrayList<>()).add(n));
            List<Optional<UUID>> chosen = new java.util.ArrayList<>();
            java.util.Set<UUID> persons = new java.util.HashSet<>();
            for (List<String[]> item : items) {
                List<GraphNode> nodes = new java.util.ArrayList<>();
                item.forEach(k -> nodes.addAll(byKey.getOrDefault(k[0] + ":" + k[1], List.of())));
                Optional<UUID> person = nodes.isEmpty() ? Optional.empty() : choose.apply(nodes);
                person.ifPresent(persons::add);
                chosen.add(person);
            }
            UUID[] ids = persons.toArray(UUID[]::new);
            java.util.Map<UUID, Boolean> paid = new java.util.HashMap<>();
            java.util.Map<UUID, List<GraphNode>> identifiers = new java.util.HashMap<>();
            if (ids.length > 0) {
                ScanFree.pipelined(c, ScanFree.graphGrown(c), """
                        SELECT id, first_paid_at IS NOT NULL FROM persons WHERE id = ANY(?);
                        SELECT id, type, match_key, person_id, value, sealed, quarantined, first_seen, last_seen FROM identifiers WHERE person_id = ANY(?)""",
                        List.of(rs -> paid.put(rs.getObject(1, UUID.class), rs.getBoolean(2)), rs -> {
                            GraphNode n = GraphNodes.node(rs);
                            return identifiers.computeIfAbsent(n.person(), k -> new java.util.ArrayList<>()).add(n);
                        }), ids, ids);
            }
            List<Optional<Resolution>> out = new java.util.ArrayList<>();
            for (Optional<UUID> p : chosen) {
                out.add(p.map(id -> new Resolution(id, paid.getOrDefault(id, false), identifiers.getOrDefault(id, List.of()).stream()
                        .sorted(java.util.Comparator.comparingLong(GraphNode::id)).toList())));
            }
            return out;
        });
    }

    public List<GraphNode> identifiersOf(UUID person) {
        return Sql.transaction(dataSource, c -> Sql.query(c, """
                SELECT id, type, match_key, person_id, value, sealed, quarantined, first_seen, last_seen
                FROM identifiers WHERE person_id = ?""", GraphNodes::node, person))
                // Sorted here: "ORDER BY id" lets a generic plan walk the primary key and filter, O(all identifiers).
                .stream().sorted(java.util.Comparator.comparingLong(GraphNode::id)).toList();
    }

    /** Counts a payment once per payment id; the person becomes a returning customer for later leads. */
    public void recordPayment(String tenantId, UUID person, String paymentId, Instant paidAt) {
        Sql.transaction(dataSource, c -> {
            int fresh = Sql.update(c, "INSERT INTO payments_seen (tenant_id, payment_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    tenantId, paymentId);
            if (fresh == 1) {
                Sql.update(c, """
                        UPDATE persons SET first_paid_at = LEAST(COALESCE(first_paid_at, ?), ?),
                               last_paid_at = GREATEST(COALESCE(last_paid_at, ?), ?), payments = payments + 1 WHERE id = ?""",
                        paidAt, paidAt, paidAt, paidAt, person);
            }
            return null;
        });
    }

    /** The canonical person of an id of this workspace (absorbed ids redirect to their survivor). */
    public Optional<Person> canonical(String tenantId, UUID id) {
        return Sql.transaction(dataSource, c -> Sql.query(c, """
                WITH RECURSIVE chain(id, merged_into, depth) AS (
                    SELECT id, merged_into, 0 FROM persons WHERE id = ? AND tenant_id = ?
                    UNION ALL SELECT p.id, p.merged_into, chain.depth + 1 FROM persons p JOIN chain ON p.id = chain.merged_into
                    WHERE chain.depth < 64)
                SELECT p.id, p.created_at, p.first_paid_at, p.payments FROM chain JOIN persons p ON p.id = chain.id
                WHERE chain.merged_into IS NULL AND p.erased_at IS NULL""",
                rs -> new Person(rs.getObject(1, UUID.class), Sql.instant(rs, "created_at"), Sql.instant(rs, "first_paid_at"),
                        rs.getInt("payments")), id, tenantId).stream().findFirst());
    }

    public List<Edge> edgesOf(UUID person) {
        return Sql.transaction(dataSource, c -> Sql.query(c, """
                SELECT e.id, e.a, e.b, e.source, e.event_id, e.first_seen, e.last_seen FROM edges e
                JOIN identifiers i ON i.id = e.a WHERE i.person_id = ?""",
                rs -> new Edge(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                        Sql.instant(rs, "first_seen"), Sql.instant(rs, "last_seen")), person))
                .stream().sorted(java.util.Comparator.comparingLong(Edge::id)).toList();
    }

    public List<LogEntry> log(String tenantId, UUID person) {
        return Sql.transaction(dataSource, c -> Sql.query(c, """
                SELECT at, kind, others, detail FROM merge_log WHERE tenant_id = ? AND (person_id = ? OR ? = ANY(others))
                ORDER BY id""", rs -> new LogEntry(Sql.instant(rs, "at"), rs.getString("kind"),
                List.of((UUID[]) rs.getArray("others").getArray()), rs.getString("detail")), tenantId, person, person));
    }

    /** A row of the merge log as the person change feed serves it. */
    public record Change(long id, String tenantId, String kind, UUID person, List<UUID> others, Instant at) {
    }

    public List<Change> changes(long afterId, int limit) {
        return Sql.transaction(dataSource, c -> Sql.query(c, """
                SELECT id, tenant_id, kind, person_id, others, at FROM merge_log WHERE id > ? ORDER BY id LIMIT ?""",
                rs -> new Change(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getObject(4, UUID.class),
                        List.of((UUID[]) rs.getArray(5).getArray()), Sql.instant(rs, "at")), afterId, limit));
    }

    /** Survivors of the asked ids (absorbed ids follow merged_into; erased and unknown ids are absent). */
    public java.util.Map<UUID, UUID> survivors(String tenantId, List<UUID> ids) {
        java.util.Map<UUID, UUID> out = new java.util.HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        Sql.transaction(dataSource, c -> Sql.query(c, """
                WITH RECURSIVE chain(asked, id, merged_into, depth) AS (
                    SELECT p.id, p.id, p.merged_into, 0 FROM persons p WHERE p.id = ANY(?) AND p.tenant_id = ?
                    UNION ALL SELECT chain.asked, p.id, p.merged_into, chain.depth + 1 FROM persons p JOIN chain ON p.id = chain.merged_into
                    WHERE chain.depth < 64)
                SELECT chain.asked, chain.id FROM chain JOIN persons p ON p.id = chain.id
                WHERE chain.merged_into IS NULL AND p.erased_at IS NULL""",
                rs -> out.put(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)), (Object) ids.toArray(UUID[]::new), tenantId));
        return out;
    }

    /** The sealed e-mails and phones of the persons (quarantined identifiers left out). */
    public List<GraphNode> contactsOf(java.util.Collection<UUID> persons) {
        if (persons.isEmpty()) {
            return List.of();
        }
        return Sql.transaction(dataSource, c -> Sql.query(c, """
                SELECT id, type, match_key, person_id, value, sealed, quarantined, first_seen, last_seen
                FROM identifiers WHERE person_id = ANY(?) AND sealed IS NOT NULL AND NOT quarantined""",
                GraphNodes::node, (Object) persons.toArray(UUID[]::new)));
    }
}
