package io.throughline.attribution.processing;

import io.grpc.StatusRuntimeException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.throughline.attribution.client.IdentityCalls;
import io.throughline.attribution.domain.deals.DealSnapshot;
import io.throughline.attribution.store.Deals;
import io.throughline.commons.work.CoalescingWorker;
import io.throughline.commons.grpc.PersonVerdicts;
import io.throughline.contracts.identity.v1.Identifier;
import io.throughline.contracts.identity.v1.LinkResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Links each deal's contact in identity-service and reports its payments there (refunds are not payments). Runs at
 * once after a deal is stored and every few seconds; a deal identity-service did not take stays due with a growing
 * backoff, so an outage delays links but never loses them.
 */
@ApplicationScoped
public class DealIdentityRelay {

    private static final int BATCH = 100;
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

    private final Deals deals;
    private final IdentityCalls identity;
    private final CoalescingWorker worker;

    public DealIdentityRelay(Deals deals, IdentityCalls identity) {
        this.deals = deals;
        this.identity = identity;
        this.worker = CoalescingWorker.claimingAll("deal-identity-relay", BATCH, deals::claimDue, this::deliverAll);
    }

    void stop(@Observes ShutdownEvent event) {
        worker.close();
    }

    @Scheduled(every = "${throughline.attribution.identity-relay-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void everyFewSeconds() {
        trigger();
    }

    public void trigger() {
        worker.trigger();
    }

    /** Links per BatchLink call: one transaction in identity holds the batch's key locks until it commits. */
    private static final int LINK_BATCH = 25;

    /**
     * The contacts to link go to identity-service in BatchLink calls (consecutive deals of one workspace); a batch it
     * refuses as a whole (an invalid event, an identity-service without BatchLink) or cannot take is sent deal by deal.
     */
    private void deliverAll(List<Deals.Due> due) {
        java.util.Map<Deals.Due, LinkResponse> linked = new java.util.IdentityHashMap<>();
        java.util.Map<Deals.Due, String> down = new java.util.IdentityHashMap<>();
        List<Deals.Due> toLink = due.stream().filter(d -> !d.linked() && !IdentityCalls.identifiers(d.contact()).isEmpty()).toList();
        for (List<Deals.Due> group : io.throughline.commons.work.Batches.consecutive(toLink, Deals.Due::tenantId, LINK_BATCH)) {
            if (group.size() < 2) {
                continue;
            }
            try {
                List<LinkResponse> answers = identity.linkAll(group.get(0).tenantId(), group.stream().map(DealIdentityRelay::linkRequest).toList());
                for (int i = 0; i < group.size(); i++) {
                    linked.put(group.get(i), answers.get(i));
                }
            } catch (StatusRuntimeException e) {
                io.grpc.Status.Code code = e.getStatus().getCode();
                if (code != io.grpc.Status.Code.UNIMPLEMENTED && code != io.grpc.Status.Code.INVALID_ARGUMENT) {
                    group.forEach(d -> down.put(d, "identity: " + code));
                }
                // otherwise deal by deal below: each settles with its own outcome
            }
        }
        for (Deals.Due d : due) {
            if (down.containsKey(d)) {
                deals.settle(d.id(), Instant.now().plusSeconds(Math.min(MAX_BACKOFF.toSeconds(), 1L << Math.min(d.attempts(), 20))), down.get(d));
            } else {
                deliver(d, linked.get(d));
            }
        }
    }

    private static io.throughline.contracts.identity.v1.LinkRequest linkRequest(Deals.Due deal) {
        return IdentityCalls.linkRequest(deal.tenantId(), deal.crm(), eventId(deal), IdentityCalls.identifiers(deal.contact()), deal.updatedAt());
    }

    private static String eventId(Deals.Due deal) {
        return "deal:" + deal.id() + ":" + deal.updatedAt().toEpochMilli();
    }

    /** One deal: its link (done already when {@code person} is given), its unreported payments, then settled. */
    private void deliver(Deals.Due deal, LinkResponse person) {
        List<Identifier> ids = IdentityCalls.identifiers(deal.contact());
        try {
            if (ids.isEmpty()) {
                deals.linked(deal.id(), deal.updatedAt(), null, null);
                deals.settle(deal.id(), null, "no contact identifiers");
                return;
            }
            if (!deal.linked()) {
                if (person == null) {
                    person = identity.link(deal.tenantId(), deal.crm(), eventId(deal), ids, deal.updatedAt());
                }
                deals.linked(deal.id(), deal.updatedAt(), person.getPersonId().isBlank() ? null : person.getPersonId(),
                        PersonVerdicts.code(person.getVerdict()));
            }
            for (DealSnapshot.Payment p : deal.unreported()) {
                identity.reportPayment(deal.tenantId(), deal.crm() + ":" + deal.externalId() + ":" + p.externalId(), ids, p.paidAt());
                deals.reported(deal.id(), p.externalId());
            }
            deals.settle(deal.id(), null, null);
        } catch (StatusRuntimeException e) {
            long seconds = Math.min(MAX_BACKOFF.toSeconds(), 1L << Math.min(deal.attempts(), 20));
            deals.settle(deal.id(), Instant.now().plusSeconds(seconds), "identity: " + e.getStatus().getCode());
        }
    }
}
