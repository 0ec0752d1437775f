package io.throughline.attribution;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import io.throughline.contracts.identity.v1.ConfirmErasureRequest;
import io.throughline.contracts.identity.v1.ConfirmErasureResponse;
import io.throughline.contracts.identity.v1.EraseRequest;
import io.throughline.contracts.identity.v1.EraseResponse;
import io.throughline.contracts.identity.v1.IdentityService;
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
public class FakeIdentityService implements IdentityService {

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

    @Override
    public Uni<LinkResponse> link(LinkRequest request) {
        if (down) {
            return Uni.createFrom().failure(Status.UNAVAILABLE.asRuntimeException());
        }
        LINKS.add(request);
        return Uni.createFrom().item(LinkResponse.newBuilder().setPersonId("person-" + request.getIdentifiers(0).getValue())
                .setVerdict(io.throughline.contracts.identity.v1.PersonVerdict.PERSON_VERDICT_NEW).build());
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

    @Override
    public Uni<EraseResponse> erase(EraseRequest request) {
        return Uni.createFrom().failure(Status.UNIMPLEMENTED.asRuntimeException());
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
