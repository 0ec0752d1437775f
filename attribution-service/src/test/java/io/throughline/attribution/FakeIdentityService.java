package io.throughline.attribution;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import io.throughline.contracts.identity.v1.ConfirmErasureRequest;
import io.throughline.contracts.identity.v1.ConfirmErasureResponse;
import io.throughline.contracts.identity.v1.LinkRequest;
import io.throughline.contracts.identity.v1.LinkResponse;
import io.throughline.contracts.identity.v1.ListPendingErasuresRequest;
import io.throughline.contracts.identity.v1.ListPendingErasuresResponse;
import io.throughline.contracts.identity.v1.ReportPaymentRequest;
import io.throughline.contracts.identity.v1.ReportPaymentResponse;
import io.throughline.contracts.identity.v1.ResolveRequest;
import io.throughline.contracts.identity.v1.ResolveResponse;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** identity.v1 mocked at the gRPC boundary: records links and payment reports; {@link #down} makes it unavailable. */
@GrpcService
@RolesAllowed("service")
public class FakeIdentityService extends io.throughline.contracts.identity.v1.MutinyIdentityServiceGrpc.IdentityServiceImplBase {

    public static final List<LinkRequest> LINKS = new CopyOnWriteArrayList<>();
    public static final List<ReportPaymentRequest> PAYMENTS = new CopyOnWriteArrayList<>();
    public static volatile boolean down;
    /** The erasure feed: erasures listed until confirmed. */
    public static final List<io.throughline.contracts.identity.v1.PendingErasure> ERASURES = new CopyOnWriteArrayList<>();
    public static final java.util.Map<String, ConfirmErasureRequest> CONFIRMED = new java.util.concurrent.ConcurrentHashMap<>();
    /** Resolve answers by tenant and any identifier value ("tenant|value"); unknown identifiers are not found. */
    public static final java.util.Map<String, ResolveResponse> PERSONS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Makes the identifiers one person in the tenant, with the visitor ids identity-service would answer. */
    public static void person(String tenant, String personId, List<String> visitorIds, String... otherIdentifiers) {
        ResolveResponse.Builder r = ResolveResponse.newBuilder().setFound(true).setPersonId(personId)
                .setVerdict(io.throughline.contracts.identity.v1.PersonVerdict.PERSON_VERDICT_KNOWN);
        visitorIds.forEach(v -> r.addIdentifiers(io.throughline.contracts.identity.v1.ResolvedIdentifier.newBuilder()
                .setType(io.throughline.contracts.identity.v1.IdentifierType.IDENTIFIER_TYPE_VISITOR_ID).setMatchKey("k-" + v).setValue(v)));
        ResolveResponse response = r.build();
        visitorIds.forEach(v -> PERSONS.put(tenant + "|" + v, response));
        for (String other : otherIdentifiers) {
            PERSONS.put(tenant + "|" + other, response);
        }
    }

    /** Contacts of the persons links created ("tenant|person"), as identity-service would normalize them. */
    public static final java.util.Map<String, java.util.Set<String>> CONTACTS = new java.util.concurrent.ConcurrentHashMap<>();
    /** Absorbed persons to their survivor ("tenant|person" to person). */
    public static final java.util.Map<String, String> MERGED = new java.util.concurrent.ConcurrentHashMap<>();
    public static final java.util.Set<String> ERASED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    public static final List<io.throughline.contracts.identity.v1.PersonChange> CHANGES = new CopyOnWriteArrayList<>();

    /** Identity merges {@code absorbed} into {@code survivor} and says so in the change feed. */
    public static void merge(String tenant, String survivor, String absorbed) {
        MERGED.put(tenant + "|" + absorbed, survivor);
        CONTACTS.computeIfAbsent(tenant + "|" + survivor, k -> java.util.concurrent.ConcurrentHashMap.newKeySet())
                .addAll(CONTACTS.getOrDefault(tenant + "|" + absorbed, java.util.Set.of()));
        change(tenant, "merge", survivor, absorbed);
    }

    /** Identity splits {@code split} (with these contacts) off {@code person}. */
    public static void unmerge(String tenant, String person, String split, java.util.Set<String> contacts) {
        MERGED.remove(tenant + "|" + split);
        CONTACTS.put(tenant + "|" + split, java.util.concurrent.ConcurrentHashMap.newKeySet());
        CONTACTS.get(tenant + "|" + split).addAll(contacts);
        CONTACTS.get(tenant + "|" + person).removeAll(contacts);
        change(tenant, "split", person, split);
    }

    public static void erase(String tenant, String person) {
        ERASED.add(tenant + "|" + person);
        change(tenant, "erase", person);
    }

    private static void change(String tenant, String kind, String person, String... others) {
        CHANGES.add(io.throughline.contracts.identity.v1.PersonChange.newBuilder().setId(CHANGES.size() + 1).setTenantId(tenant).setKind(kind)
                .setPersonId(person).addAllOthers(List.of(others)).build());
    }

    @Override
    public Uni<io.throughline.contracts.identity.v1.ListPersonChangesResponse> listPersonChanges(
            io.throughline.contracts.identity.v1.ListPersonChangesRequest request) {
        if (down) {
            return Uni.createFrom().failure(Status.UNAVAILABLE.asRuntimeException());
        }
        return Uni.createFrom().item(io.throughline.contracts.identity.v1.ListPersonChangesResponse.newBuilder()
                .addAllChanges(CHANGES.stream().filter(c -> c.getId() > request.getAfterId()).limit(request.getLimit() <= 0 ? 500 : request.getLimit())
                        .toList()).build());
    }

    @Override
    public Uni<io.throughline.contracts.identity.v1.ListPersonContactsResponse> listPersonContacts(
            io.throughline.contracts.identity.v1.ListPersonContactsRequest request) {
        if (down) {
            return Uni.createFrom().failure(Status.UNAVAILABLE.asRuntimeException());
        }
        var response = io.throughline.contracts.identity.v1.ListPersonContactsResponse.newBuilder();
        for (String id : request.getPersonIdsList()) {
            String survivor = id;
            while (MERGED.containsKey(request.getTenantId() + "|" + survivor)) {
                survivor = MERGED.get(request.getTenantId() + "|" + survivor);
            }
            String key = request.getTenantId() + "|" + survivor;
            var p = io.throughline.contracts.identity.v1.PersonContacts.newBuilder().setRequestedId(id);
            if (CONTACTS.containsKey(key) && !ERASED.contains(key)) {
                p.setPersonId(survivor);
                CONTACTS.get(key).stream().sorted().forEach(v -> {
                    if (v.startsWith("+")) {
                        p.addPhones(v);
                    } else {
                        p.addEmails(v);
                    }
                });
            }
            response.addPersons(p);
        }
        return Uni.createFrom().item(response.build());
    }

    @Override
    public Uni<LinkResponse> link(LinkRequest request) {
        if (down) {
            return Uni.createFrom().failure(Status.UNAVAILABLE.asRuntimeException());
        }
        return Uni.createFrom().item(linkNow(request));
    }

    private static LinkResponse linkNow(LinkRequest request) {
        LINKS.add(request);
        var contacts = CONTACTS.computeIfAbsent(request.getTenantId() + "|person-" + request.getIdentifiers(0).getValue(),
                k -> java.util.concurrent.ConcurrentHashMap.newKeySet());
        for (var id : request.getIdentifiersList()) {
            if (id.getType() == io.throughline.contracts.identity.v1.IdentifierType.IDENTIFIER_TYPE_EMAIL) {
                contacts.add(id.getValue().strip().toLowerCase(java.util.Locale.ROOT));
            } else if (id.getType() == io.throughline.contracts.identity.v1.IdentifierType.IDENTIFIER_TYPE_PHONE) {
                var phone = io.throughline.commons.phone.PhoneCheck.check(id.getValue(), "RU");
                if (phone.valid()) {
                    contacts.add(phone.e164());
                }
            }
        }
        return LinkResponse.newBuilder().setPersonId("person-" + request.getIdentifiers(0).getValue())
                .setVerdict(io.throughline.contracts.identity.v1.PersonVerdict.PERSON_VERDICT_NEW).build();
    }

    /** BatchLink calls received (each link is also recorded in LINKS, as Link records it). */
    public static final java.util.concurrent.atomic.AtomicInteger BATCH_LINKS = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public Uni<io.throughline.contracts.identity.v1.BatchLinkResponse> batchLink(io.throughline.contracts.identity.v1.BatchLinkRequest request) {
        if (down) {
            return Uni.createFrom().failure(Status.UNAVAILABLE.asRuntimeException());
        }
        BATCH_LINKS.incrementAndGet();
        var out = io.throughline.contracts.identity.v1.BatchLinkResponse.newBuilder();
        for (LinkRequest link : request.getLinksList()) {
            out.addLinks(linkNow(link.toBuilder().setTenantId(request.getTenantId()).build()));
        }
        return Uni.createFrom().item(out.build());
    }

    @Override
    public Uni<ReportPaymentResponse> reportPayment(ReportPaymentRequest request) {
        if (down) {
            return Uni.createFrom().failure(Status.UNAVAILABLE.asRuntimeException());
        }
        PAYMENTS.add(request);
        return Uni.createFrom().item(ReportPaymentResponse.newBuilder().setPersonId("person").build());
    }

    @Override
    public Uni<ResolveResponse> resolve(ResolveRequest request) {
        if (down) {
            return Uni.createFrom().failure(Status.UNAVAILABLE.asRuntimeException());
        }
        for (var id : request.getIdentifiersList()) {
            ResolveResponse r = PERSONS.get(request.getTenantId() + "|" + id.getValue());
            if (r != null) {
                return Uni.createFrom().item(r);
            }
        }
        return Uni.createFrom().item(ResolveResponse.newBuilder().setFound(false).build());
    }

    /** Calls of BatchResolve (the runs' lookups), for tests that count round trips. */
    public static final java.util.concurrent.atomic.AtomicInteger BATCH_CALLS = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public Uni<io.throughline.contracts.identity.v1.BatchResolveResponse> batchResolve(io.throughline.contracts.identity.v1.BatchResolveRequest request) {
        if (down) {
            return Uni.createFrom().failure(Status.UNAVAILABLE.asRuntimeException());
        }
        BATCH_CALLS.incrementAndGet();
        var out = io.throughline.contracts.identity.v1.BatchResolveResponse.newBuilder();
        for (var item : request.getItemsList()) {
            ResolveResponse found = ResolveResponse.newBuilder().setFound(false).build();
            for (var id : item.getIdentifiersList()) {
                ResolveResponse r = PERSONS.get(request.getTenantId() + "|" + id.getValue());
                if (r != null) {
                    found = r;
                    break;
                }
            }
            out.addResults(io.throughline.contracts.identity.v1.BatchResolved.newBuilder().setKey(item.getKey()).setResolved(found));
        }
        return Uni.createFrom().item(out.build());
    }

    @Override
    public Uni<ListPendingErasuresResponse> listPendingErasures(ListPendingErasuresRequest request) {
        if (!"attribution".equals(request.getConsumer())) {
            return Uni.createFrom().failure(Status.INVALID_ARGUMENT.asRuntimeException());
        }
        return Uni.createFrom().item(ListPendingErasuresResponse.newBuilder().addAllErasures(ERASURES.stream()
                .filter(e -> !CONFIRMED.containsKey(e.getErasureId())).toList()).build());
    }

    @Override
    public Uni<ConfirmErasureResponse> confirmErasure(ConfirmErasureRequest request) {
        CONFIRMED.put(request.getErasureId(), request);
        return Uni.createFrom().item(ConfirmErasureResponse.getDefaultInstance());
    }
}
