package io.throughline.calltracking.grpc;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import io.throughline.contracts.calltracking.v1.CallTrackingService;
import io.throughline.contracts.calltracking.v1.ListCallTouchpointsRequest;
import io.throughline.contracts.calltracking.v1.ListCallTouchpointsResponse;
import jakarta.annotation.security.RolesAllowed;

/** calltracking.v1 for attribution-service. */
@GrpcService
@RolesAllowed("service")
public class CallTrackingGrpcService implements CallTrackingService {

    @Override
    public Uni<ListCallTouchpointsResponse> listCallTouchpoints(ListCallTouchpointsRequest request) {
        // Calls and their matching arrive with the calltracking issue; until then the method says so honestly.
        return Uni.createFrom().failure(Status.UNIMPLEMENTED
                .withDescription("ListCallTouchpoints is not implemented yet").asRuntimeException());
    }
}
