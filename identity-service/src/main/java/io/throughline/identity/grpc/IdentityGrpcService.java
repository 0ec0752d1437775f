package io.throughline.identity.grpc;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.throughline.commons.grpc.ProtoTimes;
import io.throughline.contracts.identity.v1.ConfirmErasureRequest;
import io.throughline.contracts.identity.v1.ConfirmErasureResponse;
import io.throughline.contracts.identity.v1.EraseRequest;
import io.throughline.contracts.identity.v1.EraseResponse;
import io.throughline.contracts.identity.v1.GuardDecision;
import io.throughline.contracts.identity.v1.Identifier;
import io.throughline.contracts.identity.v1.IdentityService;
import io.throughline.contracts.identity.v1.LinkRequest;
import io.throughline.contracts.identity.v1.LinkResponse;
import io.throughline.contracts.identity.v1.ListPendingErasuresRequest;
import io.throughline.contracts.identity.v1.ListPendingErasuresResponse;
import io.throughline.contracts.identity.v1.PendingErasure;
import io.throughline.contracts.identity.v1.PersonVerdict;
import io.throughline.contracts.identity.v1.ReportPaymentRequest;
import io.throughline.contracts.identity.v1.ReportPaymentResponse;
import io.throughline.contracts.identity.v1.ResolveRequest;
import io.throughline.contracts.identity.v1.ResolveResponse;
import io.throughline.contracts.identity.v1.ResolvedIdentifier;
import io.throughline.identity.api.IdentityLinks;
import io.throughline.identity.config.IdentityConfig;
import io.throughline.identity.domain.IdentifierType;
import io.throughline.identity.store.Erasures;
import io.throughline.identity.store.GraphNode;
import io.throughline.identity.store.PersonRecords;
import io.throughline.contracts.identity.v1.ListPersonChangesRequest;
import io.throughline.contracts.identity.v1.ListPersonChangesResponse;
import io.throughline.contracts.identity.v1.ListPersonContactsRequest;
import io.throughline.contracts.identity.v1.ListPersonContactsResponse;
import io.throughline.contracts.identity.v1.PersonChange;
import io.throughline.contracts.identity.v1.PersonContacts;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import jakarta.annotation.security.RolesAllowed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** identity.v1 for the other services; every call carries a service-account token. */
@GrpcService
@RolesAllowed("service")
public class IdentityGrpcService implements IdentityService {

    static final int MAX_IDENTIFIERS = 32;

    static final int MAX_PERSONS = 1000;

    private final IdentityLinks links;
    private final Erasures erasures;
    private final IdentityConfig config;
    private final PersonRecords records;

    public IdentityGrpcService(IdentityLinks links, Erasures erasures, IdentityConfig config, PersonRecords records) {
        this.links = links;
        this.erasures = erasures;
        this.config = config;
        this.records = records;
    }

    @Override
    @Blocking
    public Uni<ListPersonChangesResponse> listPersonChanges(ListPersonChangesRequest request) {
        require(request.getAfterId() >= 0, "after_id must not be negative");
        int limit = request.getLimit() <= 0 ? 500 : Math.min(request.getLimit(), 5000);
        ListPersonChangesResponse.Builder response = ListPersonChangesResponse.newBuilder();
        for (PersonRecords.Change c : records.changes(request.getAfterId(), limit)) {
            response.addChanges(PersonChange.newBuilder().setId(c.id()).setTenantId(c.tenantId()).setKind(c.kind())
                    .setPersonId(c.person().toString()).addAllOthers(c.others().stream().map(UUID::toString).toList())
                    .setAt(ProtoTimes.timestamp(c.at())));
        }
        return Uni.createFrom().item(response.build());
    }

    @Override
    @Blocking
    public Uni<ListPersonContactsResponse> listPersonContacts(ListPersonContactsRequest request) {
        String tenant = tenant(request.getTenantId());
        require(request.getPersonIdsCount() <= MAX_PERSONS, "at most " + MAX_PERSONS + " person ids per call");
        List<UUID> asked = new ArrayList<>();
        for (String id : request.getPersonIdsList()) {
            io.throughline.commons.id.Ids.parse(id).ifPresent(asked::add);
        }
        Map<UUID, UUID> survivors = records.survivors(tenant, asked);
        Map<UUID, List<GraphNode>> contacts = new HashMap<>();
        for (GraphNode n : records.contactsOf(new HashSet<>(survivors.values()))) {
            contacts.computeIfAbsent(n.person(), k -> new ArrayList<>()).add(n);
        }
        ListPersonContactsResponse.Builder response = ListPersonContactsResponse.newBuilder();
        for (String id : request.getPersonIdsList()) {
            PersonContacts.Builder p = PersonContacts.newBuilder().setRequestedId(id);
            UUID survivor = io.throughline.commons.id.Ids.parse(id).map(survivors::get).orElse(null);
            if (survivor != null) {
                p.setPersonId(survivor.toString());
                for (GraphNode n : contacts.getOrDefault(survivor, List.of())) {
                    String value = links.keys().decrypt(tenant, n.sealed());
                    if (n.type() == IdentifierType.EMAIL) {
                        p.addEmails(value);
                    } else if (n.type() == IdentifierType.PHONE) {
                        p.addPhones(value);
                    }
                }
            }
            response.addPersons(p);
        }
        return Uni.createFrom().item(response.build());
    }

    @Override
    @Blocking
    public Uni<LinkResponse> link(LinkRequest request) {
        String tenant = tenant(request.getTenantId());
        IdentityLinks.Linked linked = links.linkAll(tenant, List.of(event(request, ""))).get(0);
        return Uni.createFrom().item(linkResponse(linked));
    }

    static final int MAX_LINKS = 500;

    @Override
    @Blocking
    public Uni<io.throughline.contracts.identity.v1.BatchLinkResponse> batchLink(io.throughline.contracts.identity.v1.BatchLinkRequest request) {
        String tenant = tenant(request.getTenantId());
        require(request.getLinksCount() <= MAX_LINKS, "at most " + MAX_LINKS + " links per call");
        List<IdentityLinks.Event> events = new ArrayList<>(request.getLinksCount());
        for (int i = 0; i < request.getLinksCount(); i++) {
            events.add(event(request.getLinks(i), "links[" + i + "]: "));
        }
        var response = io.throughline.contracts.identity.v1.BatchLinkResponse.newBuilder();
        if (!events.isEmpty()) {
            links.linkAll(tenant, events).forEach(l -> response.addLinks(linkResponse(l)));
        }
        return Uni.createFrom().item(response.build());
    }

    private IdentityLinks.Event event(LinkRequest request, String where) {
        require(!request.getSource().isBlank(), where + "source is required");
        require(!request.getEventId().isBlank() && request.getEventId().length() <= 200, where + "event_id is required (at most 200 characters)");
        return new IdentityLinks.Event(raw(request.getIdentifiersList()), request.getSource(), request.getEventId(),
                instant(request.getObservedAt()), request.getDefaultPhoneRegion());
    }

    private static LinkResponse linkResponse(IdentityLinks.Linked linked) {
        LinkResponse.Builder response = LinkResponse.newBuilder().setVerdict(verdict(linked.verdict()));
        if (linked.person() != null) {
            response.setPersonId(linked.person().toString());
        }
        linked.refused().forEach(r -> response.addRefused(GuardDecision.newBuilder()
                .setIdentifier(Identifier.newBuilder().setType(protoType(r.type()))).setReason(r.reason().code())));
        return response.build();
    }

    @Override
    @Blocking
    public Uni<ResolveResponse> resolve(ResolveRequest request) {
        String tenant = tenant(request.getTenantId());
        ResolveResponse response = links.resolve(tenant, raw(request.getIdentifiersList()), request.getDefaultPhoneRegion())
                .map(r -> ResolveResponse.newBuilder().setFound(true).setPersonId(r.person().toString())
                        .setVerdict(verdict(r.verdict())).addAllIdentifiers(r.identifiers().stream().map(IdentityGrpcService::resolved).toList())
                        .build())
                .orElse(ResolveResponse.newBuilder().setFound(false).build());
        return Uni.createFrom().item(response);
    }

    static final int MAX_BATCH = 1000;

    @Override
    @Blocking
    public Uni<io.throughline.contracts.identity.v1.BatchResolveResponse> batchResolve(io.throughline.contracts.identity.v1.BatchResolveRequest request) {
        String tenant = tenant(request.getTenantId());
        require(request.getItemsCount() <= MAX_BATCH, "at most " + MAX_BATCH + " items per call");
        List<List<IdentityLinks.Raw>> items = new ArrayList<>();
        request.getItemsList().forEach(i -> items.add(raw(i.getIdentifiersList())));
        List<java.util.Optional<IdentityLinks.Resolved>> answers = links.resolveAll(tenant, items, request.getDefaultPhoneRegion());
        var response = io.throughline.contracts.identity.v1.BatchResolveResponse.newBuilder();
        for (int i = 0; i < answers.size(); i++) {
            ResolveResponse r = answers.get(i).map(a -> ResolveResponse.newBuilder().setFound(true).setPersonId(a.person().toString())
                    .setVerdict(verdict(a.verdict())).addAllIdentifiers(a.identifiers().stream().map(IdentityGrpcService::resolved).toList()).build())
                    .orElse(ResolveResponse.newBuilder().setFound(false).build());
            response.addResults(io.throughline.contracts.identity.v1.BatchResolved.newBuilder().setKey(request.getItems(i).getKey()).setResolved(r));
        }
        return Uni.createFrom().item(response.build());
    }

    @Override
    @Blocking
    public Uni<ReportPaymentResponse> reportPayment(ReportPaymentRequest request) {
        String tenant = tenant(request.getTenantId());
        require(!request.getPaymentId().isBlank(), "payment_id is required");
        require(request.hasPaidAt(), "paid_at is required");
        IdentityLinks.Linked linked = links.reportPayment(tenant, raw(request.getIdentifiersList()), instant(request.getPaidAt()),
                request.getPaymentId(), request.getDefaultPhoneRegion());
        return Uni.createFrom().item(ReportPaymentResponse.newBuilder()
                .setPersonId(linked.person() == null ? "" : linked.person().toString()).build());
    }

    @Override
    @Blocking
    public Uni<EraseResponse> erase(EraseRequest request) {
        String tenant = tenant(request.getTenantId());
        UUID person = links.personOf(tenant, request.getPersonId())
                .orElseThrow(() -> Status.NOT_FOUND.withDescription("no such person").asRuntimeException());
        UUID erasure = erasures.erase(tenant, person, request.getRequestedBy().isBlank() ? "service" : request.getRequestedBy(),
                links.keys(), Instant.now());
        return Uni.createFrom().item(EraseResponse.newBuilder().setErasureId(erasure.toString()).build());
    }

    @Override
    @Blocking
    public Uni<ListPendingErasuresResponse> listPendingErasures(ListPendingErasuresRequest request) {
        require(config.erasureConsumers().contains(request.getConsumer()), "consumer must be one of " + config.erasureConsumers());
        int limit = request.getLimit() <= 0 ? 100 : Math.min(request.getLimit(), 1000);
        ListPendingErasuresResponse.Builder response = ListPendingErasuresResponse.newBuilder();
        for (Erasures.Pending p : erasures.pending(request.getConsumer(), limit, links.keys())) {
            PendingErasure.Builder e = PendingErasure.newBuilder().setErasureId(p.id().toString()).setTenantId(p.tenantId())
                    .setPersonId(p.person().toString()).setRequestedAt(ProtoTimes.timestamp(p.requestedAt()));
            p.identifiers().forEach(i -> e.addIdentifiers(ResolvedIdentifier.newBuilder().setType(protoType(i.type()))
                    .setMatchKey(i.matchKey()).setValue(i.value())));
            response.addErasures(e);
        }
        return Uni.createFrom().item(response.build());
    }

    @Override
    @Blocking
    public Uni<ConfirmErasureResponse> confirmErasure(ConfirmErasureRequest request) {
        require(config.erasureConsumers().contains(request.getConsumer()), "consumer must be one of " + config.erasureConsumers());
        UUID id = parse(request.getErasureId());
        if (!erasures.confirm(id, request.getConsumer(), request.getDeletedMap(), config.erasureConsumers(), Instant.now())) {
            throw Status.NOT_FOUND.withDescription("no such erasure").asRuntimeException();
        }
        return Uni.createFrom().item(ConfirmErasureResponse.getDefaultInstance());
    }

    private static List<IdentityLinks.Raw> raw(List<Identifier> identifiers) {
        require(identifiers.size() <= MAX_IDENTIFIERS, "at most " + MAX_IDENTIFIERS + " identifiers per call");
        List<IdentityLinks.Raw> out = new ArrayList<>();
        for (Identifier i : identifiers) {
            require(i.getType() != io.throughline.contracts.identity.v1.IdentifierType.IDENTIFIER_TYPE_UNSPECIFIED
                    && i.getType() != io.throughline.contracts.identity.v1.IdentifierType.UNRECOGNIZED, "identifier type is required");
            require(i.getValue().length() <= 512, "identifier values are at most 512 characters");
            out.add(new IdentityLinks.Raw(IdentifierType.values()[i.getTypeValue() - 1], i.getValue()));
        }
        return out;
    }

    private static ResolvedIdentifier resolved(GraphNode n) {
        ResolvedIdentifier.Builder b = ResolvedIdentifier.newBuilder().setType(protoType(n.type())).setMatchKey(n.matchKey());
        if (!n.type().personal() && n.value() != null) {
            b.setValue(n.value());
        }
        return b.build();
    }

    static io.throughline.contracts.identity.v1.IdentifierType protoType(IdentifierType type) {
        return io.throughline.contracts.identity.v1.IdentifierType.forNumber(type.ordinal() + 1);
    }

    private static PersonVerdict verdict(IdentityLinks.Verdict verdict) {
        return switch (verdict) {
            case NEW -> PersonVerdict.PERSON_VERDICT_NEW;
            case KNOWN -> PersonVerdict.PERSON_VERDICT_KNOWN;
            case RETURNING_CUSTOMER -> PersonVerdict.PERSON_VERDICT_RETURNING_CUSTOMER;
        };
    }

    private static String tenant(String tenantId) {
        require(tenantId != null && tenantId.matches("[a-z0-9][a-z0-9-]{0,63}"), "tenant_id is required");
        return tenantId;
    }

    private static UUID parse(String id) {
        return io.throughline.commons.id.Ids.parse(id)
                .orElseThrow(() -> Status.INVALID_ARGUMENT.withDescription("not an id: " + id).asRuntimeException());
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
        }
    }

    /** An unset time is now (the caller did not say when). */
    private static Instant instant(Timestamp ts) {
        return ts.getSeconds() == 0 && ts.getNanos() == 0 ? Instant.now() : ProtoTimes.instant(ts);
    }
}
