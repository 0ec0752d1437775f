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
        try {
            return Sql.transaction(dataSource, c -> apply(c, tenantId, keys, events, keyed, lockKeys, limits, events.size() == 1));
        } catch (StartOver committedEarly) {
            return Sql.transaction(dataSource, c -> apply(c, tenantId, keys, events, keyed, lockKeys, limits, false));
        }
    }

    /**
     * Thrown when a single link sent its COMMIT with its last read, expecting to write nothing, and the read showed it must
     * write after all (an edge an hour old, a person merged away meanwhile): the link starts over in a new transaction.
     */
    static final class StartOver extends RuntimeException {
        StartOver() {
            super("a link committed with its read must write after all", null, false, false);
        }
    }

    /**
     * {@link #linkAll}'s transaction. {@code commitEarly}: a single event, whose last statement may carry the COMMIT
     * (the last write, or the read of a link that changes nothing), saving the commit's own round trip.
     */
    private List<LinkResult> apply(Connection c, String tenantId, MatchKeys keys, List<LinkEvent> events,
            List<TreeMap<String, Normalized.Value>> keyed, Set<String> lockKeys, MergePlan.Limits limits, boolean commitEarly)
            throws SQLException {
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
            out.add(linkOne(c, tenantId, keys, byKey, events.get(i), limits, fromBatchRead ? batchNodes : null, batchSuppressed,
                    commitEarly));
            touched.addAll(byKey.keySet());
        }
        return out;
    }

    /** {@code batchNodes}: the batch's read of nodes when it still holds for this event's keys, else null (read them now). */
    private LinkResult linkOne(Connection c, String tenantId, MatchKeys keys, TreeMap<String, Normalized.Value> byKey, LinkEvent event,
            MergePlan.Limits limits, Map<String, GraphNode> batchNodes, Set<String> batchSuppressed, boolean commitEarly)
            throws SQLException {
        String source = event.source();
        String eventId = event.eventId();
        Instant at = event.at();
        for (Refused r : event.refusedEarly()) {
            GraphWrites.decision(c, tenantId, at, r.type(), null, r.reason(), r.detail(), source, eventId);
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
        UUID[] personIds = PersonLocks.personsOf(existing);
        if (personIds.length == 1 && existing.size() == byKey.size() && suppressed.isEmpty() && !uniquesInEvent) {
            // Every identifier is known, all of one person: when the edges between them are drawn already, the link moves
            // at most last_seen of nodes and edges an hour old, without locking the person, and mostly (seen within the
            // hour) writes nothing, so it costs no WAL flush. Its COMMIT goes with its last statement when the link has
            // written nothing before (no value refused by the caller).
            boolean commit = commitEarly && event.refusedEarly().isEmpty();
            Boolean paidBefore = PersonLocks.seenAgain(c, personIds[0], existing.values(), at, commit);
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
            facts = PersonLocks.lockPersons(c, personIds, withCounts, paid, at, tenantId, types, matchKeys, again, suppressedNow);
            UUID[] now = PersonLocks.personsOf(again);
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
        Map<Long, Set<String>> hubs = uniquesInEvent ? PersonLocks.hubObservations(c, existing.values()) : Map.of();

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
            GraphWrites.absorb(c, tenantId, survivor, absorbed, at, source, eventId);
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
        // Whether the attach below is the link's last write: no value kept apart or refused, no unique id's hub evidence.
        boolean lastWrite = plan.standalone().isEmpty() && plan.refused().isEmpty() && plan.toQuarantine().isEmpty() && !uniquesInEvent;
        Map<String, Long> inserted = nobody ? Map.of()
                : GraphWrites.attach(c, tenantId, keys, created, survivor, inserts, valueOf, seen, at, source, eventId,
                        commitEarly && lastWrite);
        List<Long> attachedIds = new ArrayList<>();
        for (MergePlan.Candidate candidate : plan.attached()) {
            GraphNode node = existing.get(candidate.type().code() + ":" + candidate.matchKey());
            attachedIds.add(node != null ? node.id() : inserted.get(candidate.type().code() + ":" + candidate.matchKey()));
        }
        for (MergePlan.Candidate candidate : plan.standalone()) {
            GraphWrites.attach(c, tenantId, keys, true, Ids.newId(), List.of(candidate), valueOf, List.of(), at, source, eventId, false);
        }
        GraphWrites.observeUniques(c, candidates, plan.attached(), attachedIds);
        for (MergePlan.Refusal r : plan.refused()) {
            GraphWrites.decision(c, tenantId, at, r.candidate().type(), r.candidate().matchKey(), r.reason(), "", source, eventId);
        }
        for (MergePlan.Candidate hub : plan.toQuarantine()) {
            GraphNode node = existing.get(hub.type().code() + ":" + hub.matchKey());
            if (node != null) {
                components.quarantine(c, tenantId, node.id(), at, "value shared by more than "
                        + limits.hubThreshold() + " persons' unique ids");
            } else {
                GraphWrites.insertQuarantined(c, tenantId, hub, at);
            }
        }
        // The survivor has paid before if it or a person it absorbed had (absorb carries the payments over).
        boolean paidBefore = !created && (paid.contains(survivor) || plan.absorbed().stream().anyMatch(paid::contains));
        return nobody ? new LinkResult(null, false, false, plan.refused()) : new LinkResult(survivor, created, paidBefore, plan.refused());
    }

}
