package io.throughline.attribution.processing;

import io.grpc.StatusRuntimeException;
import io.quarkus.scheduler.Scheduled;
import io.throughline.attribution.client.IdentityCalls;
import io.throughline.attribution.store.Deals;
import io.throughline.contracts.identity.v1.IdentifierType;
import io.throughline.contracts.identity.v1.PendingErasure;
import io.throughline.contracts.identity.v1.ResolvedIdentifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Consumes identity-service's erasure feed: the contacts of an erased person's deals (CRM contact id, e-mails,
 * phones, visitor and client ids, and the deal title, which often holds a name) are wiped, and the person leaves the
 * stored journeys. The money stays, anonymous: revenue already received is still revenue, credited to no one's
 * touches from the next version on. A failure lists the erasure again next round.
 */
@ApplicationScoped
public class ErasureFeed {

    private static final Logger LOG = Logger.getLogger(ErasureFeed.class);

    private final IdentityCalls identity;
    private final Deals deals;

    public ErasureFeed(IdentityCalls identity, Deals deals) {
        this.identity = identity;
        this.deals = deals;
    }

    @Scheduled(every = "${throughline.attribution.erasure-interval:30s}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
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
        for (PendingErasure erasure : identity.pendingErasures(100)) {
            Deals.Erased erased = new Deals.Erased(values(erasure, IdentifierType.IDENTIFIER_TYPE_CRM_CONTACT_ID),
                    values(erasure, IdentifierType.IDENTIFIER_TYPE_EMAIL), values(erasure, IdentifierType.IDENTIFIER_TYPE_PHONE),
                    values(erasure, IdentifierType.IDENTIFIER_TYPE_VISITOR_ID), values(erasure, IdentifierType.IDENTIFIER_TYPE_GA_CLIENT_ID,
                    IdentifierType.IDENTIFIER_TYPE_YM_CLIENT_ID));
            int wiped = deals.erase(erasure.getTenantId(), erased);
            identity.confirmErasure(erasure.getErasureId(), Map.of("deal_contacts", (long) wiped));
            LOG.infof("Erasure %s: %d deal contacts wiped", erasure.getErasureId(), wiped);
            confirmed++;
        }
        return confirmed;
    }

    private static Set<String> values(PendingErasure erasure, IdentifierType... types) {
        Set<IdentifierType> wanted = Set.of(types);
        return erasure.getIdentifiersList().stream().filter(i -> wanted.contains(i.getType())).map(ResolvedIdentifier::getValue)
                .filter(v -> !v.isBlank()).collect(Collectors.toSet());
    }
}
