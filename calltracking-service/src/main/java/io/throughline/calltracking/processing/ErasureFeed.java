package io.throughline.calltracking.processing;

import io.quarkus.grpc.GrpcClient;
import io.quarkus.scheduler.Scheduled;
import io.throughline.calltracking.store.CallQueries;
import io.throughline.commons.erasure.ErasureFeedRounds;
import io.throughline.commons.grpc.ServiceCalls;
import io.throughline.contracts.identity.v1.IdentifierType;
import io.throughline.contracts.identity.v1.MutinyIdentityServiceGrpc.MutinyIdentityServiceStub;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Consumes identity-service's erasure feed: deletes an erased person's calls (by visitor id and by phone) and
 * their number reservations, then confirms with the counts. A failure here lists the erasure again next round.
 */
@ApplicationScoped
public class ErasureFeed {

    private final MutinyIdentityServiceStub identity;
    private final ServiceCalls calls;
    private final CallQueries queries;

    public ErasureFeed(@GrpcClient("identity") MutinyIdentityServiceStub identity, ServiceCalls calls, CallQueries queries) {
        this.identity = identity;
        this.calls = calls;
        this.queries = queries;
    }

    @Scheduled(every = "${throughline.calltracking.erasure-interval:30s}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void everyRound() {
        ErasureFeedRounds.guarded(this::processPending, e -> false);
    }

    /** One round; returns how many erasures were confirmed. */
    public int processPending() {
        return ErasureFeedRounds.process(identity, calls, "calltracking", e -> queries.erase(e.getTenantId(),
                ErasureFeedRounds.values(e, IdentifierType.IDENTIFIER_TYPE_VISITOR_ID), ErasureFeedRounds.values(e, IdentifierType.IDENTIFIER_TYPE_PHONE)));
    }
}
