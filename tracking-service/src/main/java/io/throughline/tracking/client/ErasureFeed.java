package io.throughline.tracking.client;

import io.grpc.StatusRuntimeException;
import io.quarkus.scheduler.Scheduled;
import io.throughline.contracts.identity.v1.IdentifierType;
import io.throughline.contracts.identity.v1.PendingErasure;
import io.throughline.contracts.identity.v1.ResolvedIdentifier;
import io.throughline.tracking.store.StoreErrors;
import io.throughline.tracking.store.TrackingErasures;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Consumes identity-service's erasure feed: for each erased person, deletes what tracking holds under their
 * visitor ids and confirms with the counts. An erasure that fails here is listed again at the next round.
 */
@ApplicationScoped
public class ErasureFeed {

    private static final Logger LOG = Logger.getLogger(ErasureFeed.class);

    private final IdentityCalls identity;
    private final TrackingErasures erasures;

    public ErasureFeed(IdentityCalls identity, TrackingErasures erasures) {
        this.identity = identity;
        this.erasures = erasures;
    }

    @Scheduled(every = "${throughline.tracking.erasure-interval:30s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void everyRound() {
        try {
            processPending();
        } catch (StatusRuntimeException e) {
            LOG.debugf("Erasure feed unavailable: %s", e.getStatus().getCode());
        } catch (RuntimeException e) {
            if (!StoreErrors.isOutage(e)) {
                LOG.warnf("Processing erasures failed: %s", e.toString());
            }
        }
    }

    /** One round; returns how many erasures were confirmed. */
    public int processPending() {
        int confirmed = 0;
        for (PendingErasure erasure : identity.pendingErasures(100)) {
            List<String> visitors = erasure.getIdentifiersList().stream()
                    .filter(i -> i.getType() == IdentifierType.IDENTIFIER_TYPE_VISITOR_ID)
                    .map(ResolvedIdentifier::getValue).filter(v -> !v.isBlank()).toList();
            Map<String, Long> deleted = erasures.eraseVisitors(erasure.getTenantId(), visitors);
            identity.confirmErasure(erasure.getErasureId(), deleted);
            LOG.infof("Erasure %s: deleted %s", erasure.getErasureId(), deleted);
            confirmed++;
        }
        return confirmed;
    }
}
