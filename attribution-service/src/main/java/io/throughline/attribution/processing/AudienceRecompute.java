package io.throughline.attribution.processing;

import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.throughline.attribution.client.IdentityCalls;
import io.throughline.attribution.store.AudienceMembership;
import io.throughline.attribution.store.AudienceStore;
import io.throughline.attribution.store.Deals;
import io.throughline.contracts.identity.v1.PersonChange;
import io.throughline.contracts.identity.v1.PersonContacts;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Keeps audience membership current, incrementally: only persons marked dirty are re-evaluated (a deal or payment of
 * theirs changed, identity-service merged, split, quarantined or erased them, their dated membership ended, or a
 * definition changed). Each round reads identity's person change feed, asks identity for the marked persons'
 * survivors and contacts (in batches), applies them, then recomputes the combinations of the workspaces touched.
 * A failure leaves the marks in place for the next round.
 */
@ApplicationScoped
public class AudienceRecompute {

    private static final Logger LOG = Logger.getLogger(AudienceRecompute.class);
    static final String CONSUMER = "audiences";
    private static final int BATCH = 500;
    private static final int MAX_ROUNDS = 200;

    private final AudienceStore store;
    private final AudienceMembership membership;
    private final IdentityCalls identity;
    private final Deals deals;
    private final MeterRegistry metrics;

    public AudienceRecompute(AudienceStore store, AudienceMembership membership, IdentityCalls identity, Deals deals, MeterRegistry metrics) {
        this.store = store;
        this.membership = membership;
        this.identity = identity;
        this.deals = deals;
        this.metrics = metrics;
    }

    @Scheduled(every = "${throughline.attribution.audience-interval:5s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void everyRound() {
        try {
            round();
        } catch (StatusRuntimeException e) {
            LOG.warnf("audiences: identity-service unavailable (%s); the marks stay for the next round", e.getStatus().getCode());
        } catch (RuntimeException e) {
            LOG.error("audiences: the round failed; the marks stay for the next round", e);
        }
    }

    /** One round; returns the audiences whose membership changed (synchronously callable from tests). */
    public synchronized Set<UUID> round() {
        Instant now = Instant.now();
        readPersonChanges();
        Set<String> touched = new LinkedHashSet<>(store.takeRebuilds());
        store.markExpired(now);
        Set<UUID> changed = new HashSet<>();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<AudienceStore.Dirty> batch = store.dirty(BATCH);
            if (batch.isEmpty()) {
                break;
            }
            Map<String, List<String>> byTenant = new LinkedHashMap<>();
            batch.forEach(d -> byTenant.computeIfAbsent(d.tenantId(), k -> new ArrayList<>()).add(d.personId()));
            for (Map.Entry<String, List<String>> e : byTenant.entrySet()) {
                Map<String, AudienceMembership.Survivor> answers = new HashMap<>();
                for (PersonContacts p : identity.contacts(e.getKey(), e.getValue())) {
                    answers.put(p.getRequestedId(), p.getPersonId().isEmpty() ? null
                            : new AudienceMembership.Survivor(p.getPersonId(), p.getEmailsList(), p.getPhonesList()));
                }
                e.getValue().forEach(id -> answers.putIfAbsent(id, null));
                var applied = membership.applyPersons(e.getKey(), answers, now, "persons changed");
                changed.addAll(applied.keySet());
                touched.add(e.getKey());
            }
            store.settle(batch);
            metrics.counter("throughline_audience_persons_evaluated_total").increment(batch.size());
        }
        for (String tenant : touched) {
            changed.addAll(membership.recomputeCombined(tenant, now).keySet());
        }
        return changed;
    }

    /** Recomputes a workspace's combinations now (after a list upload or a definition change). */
    public Set<UUID> combinations(String tenantId) {
        return membership.recomputeCombined(tenantId, Instant.now()).keySet();
    }

    private void readPersonChanges() {
        for (int page = 0; page < MAX_ROUNDS; page++) {
            long cursor = store.cursor(CONSUMER);
            List<PersonChange> changes = identity.changes(cursor, 1000);
            if (changes.isEmpty()) {
                return;
            }
            Map<String, Set<String>> persons = new HashMap<>();
            for (PersonChange c : changes) {
                Set<String> ids = persons.computeIfAbsent(c.getTenantId(), k -> new HashSet<>());
                ids.add(c.getPersonId());
                ids.addAll(c.getOthersList());
                if (c.getKind().equals("split") || c.getKind().equals("unmerge")) {
                    relink(c);
                }
            }
            store.advance(CONSUMER, changes.get(changes.size() - 1).getId(), persons);
        }
    }

    /** After a split, each deal of the persons concerned belongs to whoever its contact resolves to now. */
    private void relink(PersonChange c) {
        Set<String> persons = new HashSet<>(c.getOthersList());
        persons.add(c.getPersonId());
        for (Deals.Linked d : deals.linkedTo(c.getTenantId(), persons)) {
            var ids = IdentityCalls.identifiers(d.contact());
            if (ids.isEmpty()) {
                continue;
            }
            var resolved = identity.resolve(c.getTenantId(), ids);
            if (resolved.getFound() && !resolved.getPersonId().equals(d.personId())) {
                deals.relinked(d.id(), resolved.getPersonId());
            }
        }
    }
}
