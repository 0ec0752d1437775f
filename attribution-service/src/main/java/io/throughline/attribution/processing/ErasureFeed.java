package io.throughline.attribution.processing;

import io.quarkus.grpc.GrpcClient;
import io.quarkus.scheduler.Scheduled;
import io.throughline.attribution.store.AudienceMembership;
import io.throughline.attribution.store.AudienceStore;
import io.throughline.attribution.store.Deals;
import java.time.Instant;
import java.util.List;
import io.throughline.commons.erasure.ErasureFeedRounds;
import io.throughline.commons.grpc.ServiceCalls;
import io.throughline.contracts.identity.v1.IdentifierType;
import io.throughline.contracts.identity.v1.MutinyIdentityServiceGrpc.MutinyIdentityServiceStub;
import io.throughline.contracts.identity.v1.PendingErasure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;

/**
 * Consumes identity-service's erasure feed: the contacts of an erased person's deals (CRM contact id, e-mails,
 * phones, visitor and client ids, and the deal title, which often holds a name) are wiped, and the person leaves the
 * stored journeys. The money stays, anonymous: revenue already received is still revenue, credited to no one's
 * touches from the next version on. The person leaves every audience. A failure lists the erasure again next round.
 */
@ApplicationScoped
public class ErasureFeed {

    private final MutinyIdentityServiceStub identity;
    private final ServiceCalls calls;
    private final Deals deals;
    private final AudienceStore audiences;
    private final AudienceMembership membership;

    public ErasureFeed(@GrpcClient("identity") MutinyIdentityServiceStub identity, ServiceCalls calls, Deals deals, AudienceStore audiences,
            AudienceMembership membership) {
        this.identity = identity;
        this.calls = calls;
        this.deals = deals;
        this.audiences = audiences;
        this.membership = membership;
    }

    @Scheduled(every = "${throughline.attribution.erasure-interval:30s}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void everyRound() {
        ErasureFeedRounds.guarded(this::processPending, e -> false);
    }

    /** One round; returns how many erasures were confirmed. */
    public int processPending() {
        return ErasureFeedRounds.process(identity, calls, "attribution", this::erase);
    }

    private Map<String, Long> erase(PendingErasure e) {
        Deals.Erased erased = new Deals.Erased(set(e, IdentifierType.IDENTIFIER_TYPE_CRM_CONTACT_ID), set(e, IdentifierType.IDENTIFIER_TYPE_EMAIL),
                set(e, IdentifierType.IDENTIFIER_TYPE_PHONE), set(e, IdentifierType.IDENTIFIER_TYPE_VISITOR_ID),
                set(e, IdentifierType.IDENTIFIER_TYPE_GA_CLIENT_ID, IdentifierType.IDENTIFIER_TYPE_YM_CLIENT_ID));
        long wiped = deals.erase(e.getTenantId(), erased);
        // The person leaves every audience with the next round (identity answers no person for it); uploaded lists
        // lose the contacts now, and their consents are forgotten.
        audiences.markPersons(e.getTenantId(), List.of(e.getPersonId()));
        long listed = membership.eraseContacts(e.getTenantId(), erased.emails(), erased.phones(), Instant.now()).values().stream()
                .mapToLong(AudienceMembership.Applied::removed).sum();
        return Map.of("deal_contacts", wiped, "audience_list_entries", listed);
    }

    private static Set<String> set(PendingErasure e, IdentifierType... types) {
        return Set.copyOf(ErasureFeedRounds.values(e, types));
    }
}
