package io.throughline.calltracking;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import io.throughline.contracts.identity.v1.ConfirmErasureRequest;
import io.throughline.contracts.identity.v1.ConfirmErasureResponse;
import io.throughline.contracts.identity.v1.LinkRequest;
import io.throughline.contracts.identity.v1.LinkResponse;
import io.throughline.contracts.identity.v1.ListPendingErasuresRequest;
import io.throughline.contracts.identity.v1.ListPendingErasuresResponse;
import io.throughline.contracts.identity.v1.PendingErasure;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** identity.v1 mocked at the gRPC boundary: records links, serves erasures the tests queue, records confirmations. */
@GrpcService
@RolesAllowed("service")
public class FakeIdentityService extends io.throughline.contracts.identity.v1.MutinyIdentityServiceGrpc.IdentityServiceImplBase {

    public static final List<LinkRequest> LINKS = new CopyOnWriteArrayList<>();
    public static final List<PendingErasure> PENDING = new CopyOnWriteArrayList<>();
    public static final Map<String, Map<String, Long>> CONFIRMED = new ConcurrentHashMap<>();

    @Override
    public Uni<LinkResponse> link(LinkRequest request) {
        LINKS.add(request);
        return Uni.createFrom().item(LinkResponse.newBuilder().setPersonId("person-" + request.getIdentifiers(0).getValue()).build());
    }

    @Override
    public Uni<ListPendingErasuresResponse> listPendingErasures(ListPendingErasuresRequest request) {
        return Uni.createFrom().item(ListPendingErasuresResponse.newBuilder()
                .addAllErasures(PENDING.stream().filter(e -> !CONFIRMED.containsKey(e.getErasureId())).toList()).build());
    }

    @Override
    public Uni<ConfirmErasureResponse> confirmErasure(ConfirmErasureRequest request) {
        CONFIRMED.put(request.getErasureId(), Map.copyOf(request.getDeletedMap()));
        return Uni.createFrom().item(ConfirmErasureResponse.newBuilder().build());
    }

}
