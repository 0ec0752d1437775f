package io.throughline.attribution.client;

import io.quarkus.grpc.GrpcClient;
import io.throughline.attribution.domain.deals.DealSnapshot;
import io.throughline.commons.grpc.ProtoTimes;
import io.throughline.commons.grpc.ServiceCalls;
import io.throughline.contracts.identity.v1.Identifier;
import io.throughline.contracts.identity.v1.IdentifierType;
import io.throughline.contracts.identity.v1.LinkRequest;
import io.throughline.contracts.identity.v1.LinkResponse;
import io.throughline.contracts.identity.v1.ListPersonChangesRequest;
import io.throughline.contracts.identity.v1.ListPersonContactsRequest;
import io.throughline.contracts.identity.v1.PersonChange;
import io.throughline.contracts.identity.v1.PersonContacts;
import io.throughline.contracts.identity.v1.MutinyIdentityServiceGrpc.MutinyIdentityServiceStub;
import io.throughline.contracts.identity.v1.ReportPaymentRequest;
import io.throughline.contracts.identity.v1.ResolveRequest;
import io.throughline.contracts.identity.v1.ResolveResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * identity-service as deals use it, over gRPC with this service's token: a deal's contact identifiers are linked
 * into one person, and each payment is reported so that the payer's later leads count as a returning customer.
 * Bounded by a deadline; retrying is the relay's business.
 */
@ApplicationScoped
public class IdentityCalls {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final MutinyIdentityServiceStub identity;
    private final ServiceCalls calls;

    public IdentityCalls(@GrpcClient("identity") MutinyIdentityServiceStub identity, ServiceCalls calls) {
        this.identity = identity;
        this.calls = calls;
    }

    /** The contact's identifiers (CRM contact id, e-mails, phones, visitor and client ids). */
    public static List<Identifier> identifiers(DealSnapshot.Contact c) {
        List<Identifier> out = new ArrayList<>();
        add(out, IdentifierType.IDENTIFIER_TYPE_CRM_CONTACT_ID, c.crmContactId());
        c.emails().forEach(e -> add(out, IdentifierType.IDENTIFIER_TYPE_EMAIL, e));
        c.phones().forEach(p -> add(out, IdentifierType.IDENTIFIER_TYPE_PHONE, p));
        add(out, IdentifierType.IDENTIFIER_TYPE_VISITOR_ID, c.visitorId());
        add(out, IdentifierType.IDENTIFIER_TYPE_GA_CLIENT_ID, c.gaClientId());
        add(out, IdentifierType.IDENTIFIER_TYPE_YM_CLIENT_ID, c.ymClientId());
        return out;
    }

    public LinkResponse link(String tenantId, String crm, String eventId, List<Identifier> identifiers, Instant observedAt) {
        LinkRequest request = linkRequest(tenantId, crm, eventId, identifiers, observedAt);
        return calls.call(identity.withDeadlineAfter(5, TimeUnit.SECONDS), s -> s.link(request)).await().atMost(WAIT);
    }

    public static LinkRequest linkRequest(String tenantId, String crm, String eventId, List<Identifier> identifiers, Instant observedAt) {
        return LinkRequest.newBuilder().setTenantId(tenantId).setSource("crm:" + crm).setEventId(eventId)
                .setObservedAt(ProtoTimes.timestamp(observedAt)).setDefaultPhoneRegion("RU").addAllIdentifiers(identifiers).build();
    }

    /** Links of one workspace in one BatchLink call (applied in order in one transaction); answers in their order. */
    public List<LinkResponse> linkAll(String tenantId, List<LinkRequest> links) {
        var request = io.throughline.contracts.identity.v1.BatchLinkRequest.newBuilder().setTenantId(tenantId).addAllLinks(links).build();
        return calls.call(identity.withDeadlineAfter(10, TimeUnit.SECONDS), s -> s.batchLink(request)).await().atMost(WAIT).getLinksList();
    }

    public void reportPayment(String tenantId, String paymentId, List<Identifier> identifiers, Instant paidAt) {
        ReportPaymentRequest request = ReportPaymentRequest.newBuilder().setTenantId(tenantId).setPaymentId(paymentId).setPaidAt(ProtoTimes.timestamp(paidAt))
                .setDefaultPhoneRegion("RU").addAllIdentifiers(identifiers).build();
        calls.call(identity.withDeadlineAfter(5, TimeUnit.SECONDS), s -> s.reportPayment(request)).await().atMost(WAIT);
    }

    /** The person behind the identifiers, with the identifiers identity-service knows of them (values only where not personal). */
    public ResolveResponse resolve(String tenantId, List<Identifier> identifiers) {
        ResolveRequest request = ResolveRequest.newBuilder().setTenantId(tenantId).setDefaultPhoneRegion("RU").addAllIdentifiers(identifiers).build();
        return calls.call(identity.withDeadlineAfter(5, TimeUnit.SECONDS), s -> s.resolve(request)).await().atMost(WAIT);
    }

    /** Resolve for many contacts in one call (at most 1000); answers in the same order. */
    public List<ResolveResponse> resolveAll(String tenantId, List<List<Identifier>> contacts) {
        var request = io.throughline.contracts.identity.v1.BatchResolveRequest.newBuilder().setTenantId(tenantId).setDefaultPhoneRegion("RU");
        for (int i = 0; i < contacts.size(); i++) {
            request.addItems(io.throughline.contracts.identity.v1.ResolveItem.newBuilder().setKey(Integer.toString(i)).addAllIdentifiers(contacts.get(i)));
        }
        var built = request.build();
        return calls.call(identity.withDeadlineAfter(20, TimeUnit.SECONDS), s -> s.batchResolve(built)).await().atMost(Duration.ofSeconds(30))
                .getResultsList().stream().map(io.throughline.contracts.identity.v1.BatchResolved::getResolved).toList();
    }

    /** Each id's survivor and contacts (at most 1000 ids per call). */
    public List<PersonContacts> contacts(String tenantId, List<String> personIds) {
        ListPersonContactsRequest request = ListPersonContactsRequest.newBuilder().setTenantId(tenantId).addAllPersonIds(personIds).build();
        return calls.call(identity.withDeadlineAfter(10, TimeUnit.SECONDS), s -> s.listPersonContacts(request)).await().atMost(WAIT)
                .getPersonsList();
    }

    /** Person changes (merges, splits, unmerges, erasures) after the cursor. */
    public List<PersonChange> changes(long afterId, int limit) {
        ListPersonChangesRequest request = ListPersonChangesRequest.newBuilder().setAfterId(afterId).setLimit(limit).build();
        return calls.call(identity.withDeadlineAfter(10, TimeUnit.SECONDS), s -> s.listPersonChanges(request)).await().atMost(WAIT)
                .getChangesList();
    }

    private static void add(List<Identifier> out, IdentifierType type, String value) {
        if (value != null && !value.isBlank()) {
            out.add(Identifier.newBuilder().setType(type).setValue(value).build());
        }
    }

}
