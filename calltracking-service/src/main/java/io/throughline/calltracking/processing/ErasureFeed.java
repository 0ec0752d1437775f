package io.throughline.calltracking.processing;

import io.quarkus.scheduler.Scheduled;
import io.throughline.calltracking.client.PlatformCalls;
import io.throughline.calltracking.store.CallQueries;
import io.throughline.commons.erasure.ErasureFeedRounds;
import io.throughline.contracts.identity.v1.IdentifierType;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Consumes identity-service's erasure feed: deletes an erased person's calls (by visitor id and by phone) and
 * their number reservations, then confirms with the counts. A failure here lists the erasure again next round.
 */
@ApplicationScoped
public class ErasureFeed {

    private final PlatformCalls platform;
    private final CallQueries queries;

    public ErasureFeed(PlatformCalls platform, CallQueries queries) {
        this.platform = platform;
        this.queries = queries;
    }

    @Scheduled(every = "${throughline.calltracking.erasure-interval:30s}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void everyRound() {
        ErasureFeedRounds.guarded(this::processPending, e -> false);
    }

    /** One round; returns how many erasures were confirmed. */
    public int processPending() {
        return ErasureFeedRounds.process(platform::pendingErasures, platform::confirmErasure, e -> queries.erase(e.getTenantId(),
                ErasureFeedRounds.values(e, IdentifierType.IDENTIFIER_TYPE_VISITOR_ID), ErasureFeedRounds.values(e, IdentifierType.IDENTIFIER_TYPE_PHONE)));
    }
}
