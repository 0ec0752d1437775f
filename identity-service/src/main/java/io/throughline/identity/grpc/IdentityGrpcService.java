package io.throughline.identity.grpc;

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

/** identity.v1: the graph arrives with the identity issue; until then every method says so honestly. */
@GrpcService
@RolesAllowed("service")
public class IdentityGrpcService implements IdentityService {

    @Override
    public Uni<LinkResponse> link(LinkRequest request) {
        return unimplemented("Link");
    }

    @Override
    public Uni<ResolveResponse> resolve(ResolveRequest request) {
        return unimplemented("Resolve");
    }

    @Override
    public Uni<EraseResponse> erase(EraseRequest request) {
        return unimplemented("Erase");
    }

    @Override
    public Uni<ReportPaymentResponse> reportPayment(ReportPaymentRequest request) {
        return unimplemented("ReportPayment");
    }

    @Override
    public Uni<ListPendingErasuresResponse> listPendingErasures(ListPendingErasuresRequest request) {
        return unimplemented("ListPendingErasures");
    }

    @Override
    public Uni<ConfirmErasureResponse> confirmErasure(ConfirmErasureRequest request) {
        return unimplemented("ConfirmErasure");
    }

    private static <T> Uni<T> unimplemented(String method) {
        return Uni.createFrom().failure(Status.UNIMPLEMENTED.withDescription(method + " is not implemented yet").asRuntimeException());
    }
}
