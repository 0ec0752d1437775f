package io.throughline.attribution.grpc;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import io.throughline.contracts.attribution.v1.AttributionService;
import io.throughline.contracts.attribution.v1.QueryCreditsRequest;
import io.throughline.contracts.attribution.v1.QueryCreditsResponse;
import io.throughline.contracts.attribution.v1.QueryFunnelRequest;
import io.throughline.contracts.attribution.v1.QueryFunnelResponse;
import jakarta.annotation.security.RolesAllowed;

/** attribution.v1 for reporting-service: runs and deals arrive with the attribution issue. */
@GrpcService
@RolesAllowed("service")
public class AttributionGrpcService implements AttributionService {

    @Override
    public Uni<QueryCreditsResponse> queryCredits(QueryCreditsRequest request) {
        return Uni.createFrom().failure(Status.UNIMPLEMENTED.withDescription("QueryCredits is not implemented yet").asRuntimeException());
    }

    @Override
    public Uni<QueryFunnelResponse> queryFunnel(QueryFunnelRequest request) {
        return Uni.createFrom().failure(Status.UNIMPLEMENTED.withDescription("QueryFunnel is not implemented yet").asRuntimeException());
    }
}
