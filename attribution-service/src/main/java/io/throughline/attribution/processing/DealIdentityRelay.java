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
        this.worker = CoalescingWorker.claiming("deal-identity-relay", BATCH, deals::claimDue, this::deliver);
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

    private void deliver(Deals.Due deal) {
        List<Identifier> ids = IdentityCalls.identifiers(deal.contact());
        try {
            if (ids.isEmpty()) {
                deals.linked(deal.id(), deal.updatedAt(), null, null);
                deals.settle(deal.id(), null, "no contact identifiers");
                return;
            }
            if (!deal.linked()) {
                LinkResponse person = identity.link(deal.tenantId(), deal.crm(), "deal:" + deal.id() + ":" + deal.updatedAt().toEpochMilli(), ids,
                        deal.updatedAt());
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
