package io.throughline.tracking;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import io.throughline.contracts.identity.v1.ConfirmErasureRequest;
import io.throughline.contracts.identity.v1.ConfirmErasureResponse;
import io.throughline.contracts.identity.v1.LinkRequest;
import io.throughline.contracts.identity.v1.LinkResponse;
import io.throughline.contracts.identity.v1.ListPendingErasuresRequest;
import io.throughline.contracts.identity.v1.ListPendingErasuresResponse;
import io.throughline.contracts.identity.v1.PendingErasure;
import io.throughline.contracts.identity.v1.PersonVerdict;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** identity.v1 mocked at the gRPC boundary: records links, can be made unavailable, serves a scripted erasure feed. */
@GrpcService
@RolesAllowed("service")
public class FakeIdentityService extends io.throughline.contracts.identity.v1.MutinyIdentityServiceGrpc.IdentityServiceImplBase {

    public static final List<LinkRequest> LINKS = new CopyOnWriteArrayList<>();
    public static final List<PendingErasure> ERASURES = new CopyOnWriteArrayList<>();
    public static final Map<String, Map<String, Long>> CONFIRMED = new ConcurrentHashMap<>();
    public static volatile boolean unavailable;
    /** BatchLink calls received (their links are recorded in LINKS too). */
    public static final java.util.concurrent.atomic.AtomicInteger BATCH_CALLS = new java.util.concurrent.atomic.AtomicInteger();

    /** The links received for one event. */
    public static List<LinkRequest> linksFor(String eventId) {
        return LINKS.stream().filter(l -> l.getEventId().equals(eventId)).toList();
    }

    @Override
    public Uni<LinkResponse> link(LinkRequest request) {
        if (unavailable) {
            return Uni.createFrom().failure(Status.UNAVAILABLE.withDescription("identity is down (test)").asRuntimeException());
        }
        return Uni.createFrom().item(linkNow(request));
    }

    private static LinkResponse linkNow(LinkRequest request) {
        LINKS.add(request);
        return LinkResponse.newBuilder().setPersonId("person-1").setVerdict(PersonVerdict.PERSON_VERDICT_NEW).build();
    }

    @Override
    public Uni<io.throughline.contracts.identity.v1.BatchLinkResponse> batchLink(io.throughline.contracts.identity.v1.BatchLinkRequest request) {
        if (unavailable) {
            return Uni.createFrom().failure(Status.UNAVAILABLE.withDescription("identity is down (test)").asRuntimeException());
        }
        BATCH_CALLS.incrementAndGet();
        var response = io.throughline.contracts.identity.v1.BatchLinkResponse.newBuilder();
        for (LinkRequest link : request.getLinksList()) {
            response.addLinks(linkNow(link.toBuilder().setTenantId(request.getTenantId()).build()));
        }
        return Uni.createFrom().item(response.build());
    }

    @Override
    public Uni<ListPendingErasuresResponse> listPendingErasures(ListPendingErasuresRequest request) {
        List<PendingErasure> pending = ERASURES.stream().filter(e -> !CONFIRMED.containsKey(e.getErasureId())).toList();
        return Uni.createFrom().item(ListPendingErasuresResponse.newBuilder().addAllErasures(pending).build());
    }

    @Override
    public Uni<ConfirmErasureResponse> confirmErasure(ConfirmErasureRequest request) {
        CONFIRMED.put(request.getErasureId(), request.getDeletedMap());
        return Uni.createFrom().item(ConfirmErasureResponse.getDefaultInstance());
    }

}
