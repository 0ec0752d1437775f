package io.throughline.tracking.client;

import io.quarkus.grpc.GrpcClient;
import io.quarkus.scheduler.Scheduled;
import io.throughline.commons.erasure.ErasureFeedRounds;
import io.throughline.commons.grpc.ServiceCalls;
import io.throughline.contracts.identity.v1.IdentifierType;
import io.throughline.contracts.identity.v1.MutinyIdentityServiceGrpc.MutinyIdentityServiceStub;
import io.throughline.tracking.store.StoreErrors;
import io.throughline.tracking.store.TrackingErasures;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Consumes identity-service's erasure feed: for each erased person, deletes what tracking holds under their
 * visitor ids and confirms with the counts. An erasure that fails here is listed again at the next round.
 */
@ApplicationScoped
public class ErasureFeed {

    private final MutinyIdentityServiceStub identity;
    private final ServiceCalls calls;
    private final TrackingErasures erasures;

    public ErasureFeed(@GrpcClient("identity") MutinyIdentityServiceStub identity, ServiceCalls calls, TrackingErasures erasures) {
        this.identity = identity;
        this.calls = calls;
        this.erasures = erasures;
    }

    @Scheduled(every = "${throughline.tracking.erasure-interval:30s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void everyRound() {
        ErasureFeedRounds.guarded(this::processPending, StoreErrors::isOutage);
    }

    /** One round; returns how many erasures were confirmed. */
    public int processPending() {
        return ErasureFeedRounds.process(identity, calls, "tracking", e -> erasures.eraseVisitors(e.getTenantId(),
                ErasureFeedRounds.values(e, IdentifierType.IDENTIFIER_TYPE_VISITOR_ID)));
    }
}
