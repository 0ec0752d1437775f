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

    @Override
    public Uni<LinkResponse> link(LinkRequest request) {
        if (down) {
            return Uni.createFrom().failure(Status.UNAVAILABLE.asRuntimeException());
        }
        LINKS.add(request);
        return Uni.createFrom().item(LinkResponse.newBuilder().setPersonId("person").build());
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
        return Uni.createFrom().failure(Status.UNIMPLEMENTED.asRuntimeException());
    }

    @Override
    public Uni<EraseResponse> erase(EraseRequest request) {
        return Uni.createFrom().failure(Status.UNIMPLEMENTED.asRuntimeException());
    }

    @Override
    public Uni<ListPendingErasuresResponse> listPendingErasures(ListPendingErasuresRequest request) {
        return Uni.createFrom().failure(Status.UNIMPLEMENTED.asRuntimeException());
    }

    @Override
    public Uni<ConfirmErasureResponse> confirmErasure(ConfirmErasureRequest request) {
        return Uni.createFrom().failure(Status.UNIMPLEMENTED.asRuntimeException());
    }
}
