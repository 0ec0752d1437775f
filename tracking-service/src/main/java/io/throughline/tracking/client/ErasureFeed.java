package io.throughline.tracking.client;

import io.quarkus.scheduler.Scheduled;
import io.throughline.commons.erasure.ErasureFeedRounds;
import io.throughline.contracts.identity.v1.IdentifierType;
import io.throughline.tracking.store.StoreErrors;
import io.throughline.tracking.store.TrackingErasures;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Consumes identity-service's erasure feed: for each erased person, deletes what tracking holds under their
 * visitor ids and confirms with the counts. An erasure that fails here is listed again at the next round.
 */
@ApplicationScoped
public class ErasureFeed {

    private final IdentityCalls identity;
    private final TrackingErasures erasures;

    public ErasureFeed(IdentityCalls identity, TrackingErasures erasures) {
        this.identity = identity;
        this.erasures = erasures;
    }

    @Scheduled(every = "${throughline.tracking.erasure-interval:30s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void everyRound() {
        ErasureFeedRounds.guarded(this::processPending, StoreErrors::isOutage);
    }

    /** One round; returns how many erasures were confirmed. */
    public int processPending() {
        return ErasureFeedRounds.process(identity::pendingErasures, identity::confirmErasure, e -> erasures.eraseVisitors(e.getTenantId(),
                ErasureFeedRounds.values(e, IdentifierType.IDENTIFIER_TYPE_VISITOR_ID)));
    }
}
