package io.throughline.calltracking.processing;

import io.grpc.StatusRuntimeException;
import io.quarkus.scheduler.Scheduled;
import io.throughline.calltracking.client.PlatformCalls;
import io.throughline.calltracking.store.CallQueries;
import io.throughline.contracts.identity.v1.IdentifierType;
import io.throughline.contracts.identity.v1.PendingErasure;
import io.throughline.contracts.identity.v1.ResolvedIdentifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Consumes identity-service's erasure feed: deletes an erased person's calls (by visitor id and by phone) and
 * their number reservations, then confirms with the counts. A failure here lists the erasure again next round.
 */
@ApplicationScoped
public class ErasureFeed {

    private static final Logger LOG = Logger.getLogger(ErasureFeed.class);

    private final PlatformCalls platform;
    private final CallQueries queries;

    public ErasureFeed(PlatformCalls platform, CallQueries queries) {
        this.platform = platform;
        this.queries = queries;
    }

    @Scheduled(every = "${throughline.calltracking.erasure-interval:30s}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void everyRound() {
        try {
            processPending();
        } catch (StatusRuntimeException e) {
            LOG.debugf("Erasure feed unavailable: %s", e.getStatus().getCode());
        } catch (RuntimeException e) {
            LOG.warnf("Processing erasures failed: %s", e.toString());
        }
    }

    /** One round; returns how many erasures were confirmed. */
    public int processPending() {
        int confirmed = 0;
        for (PendingErasure erasure : platform.pendingErasures(100)) {
            List<String> visitors = values(erasure, IdentifierType.IDENTIFIER_TYPE_VISITOR_ID);
            List<String> phones = values(erasure, IdentifierType.IDENTIFIER_TYPE_PHONE);
            Map<String, Long> deleted = queries.erase(erasure.getTenantId(), visitors, phones);
            platform.confirmErasure(erasure.getErasureId(), deleted);
            LOG.infof("Erasure %s: deleted %s", erasure.getErasureId(), deleted);
            confirmed++;
        }
        return confirmed;
    }

    private static List<String> values(PendingErasure erasure, IdentifierType type) {
        return erasure.getIdentifiersList().stream().filter(i -> i.getType() == type).map(ResolvedIdentifier::getValue).filter(v -> !v.isBlank())
                .toList();
    }
}
