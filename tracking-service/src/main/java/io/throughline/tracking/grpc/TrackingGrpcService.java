package io.throughline.tracking.grpc;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.throughline.commons.grpc.ProtoTimes;
import io.throughline.contracts.tracking.v1.GetSessionRequest;
import io.throughline.contracts.tracking.v1.GetSessionResponse;
import io.throughline.contracts.tracking.v1.GetSiteRequest;
import io.throughline.contracts.tracking.v1.GetSiteResponse;
import io.throughline.contracts.tracking.v1.ListTouchpointsRequest;
import io.throughline.contracts.tracking.v1.ListTouchpointsResponse;
import io.throughline.contracts.tracking.v1.TrackingService;
import io.throughline.tracking.store.SessionStore;
import io.throughline.tracking.store.SiteStore;
import jakarta.annotation.security.RolesAllowed;
import java.time.Instant;

/** tracking.v1 for other services; every call must carry a service-account token. */
@GrpcService
@RolesAllowed("service")
public class TrackingGrpcService implements TrackingService {

    /** Batches stay bounded: attribution asks for one journey's person at a time, with all their visitor ids. */
    static final int MAX_VISITORS_PER_CALL = 1000;

    private final SiteStore sites;
    private final SessionStore sessions;

    public TrackingGrpcService(SiteStore sites, SessionStore sessions) {
        this.sites = sites;
        this.sessions = sessions;
    }

    @Override
    @Blocking
    public Uni<ListTouchpointsResponse> listTouchpoints(ListTouchpointsRequest request) {
        requireTenant(request.getTenantId());
        if (request.getVisitorIdsCount() > MAX_VISITORS_PER_CALL) {
            throw Status.INVALID_ARGUMENT.withDescription("at most " + MAX_VISITORS_PER_CALL + " visitor ids per call").asRuntimeException();
        }
        if (request.getVisitorIdsCount() == 0) {
            return Uni.createFrom().item(ListTouchpointsResponse.getDefaultInstance());
        }
        Instant from = ProtoTimes.from(request.getRange());
        Instant to = ProtoTimes.to(request.getRange());
        ListTouchpointsResponse.Builder response = ListTouchpointsResponse.newBuilder();
        sessions.byVisitors(request.getTenantId(), request.getVisitorIdsList(), from, to, request.getIncludeExcluded())
                .forEach(s -> response.addTouchpoints(TouchpointMapper.touchpoint(s)));
        return Uni.createFrom().item(response.build());
    }

    @Override
    @Blocking
    public Uni<GetSessionResponse> getSession(GetSessionRequest request) {
        requireTenant(request.getTenantId());
        GetSessionResponse response = sessions.find(request.getTenantId(), request.getSessionId())
                .map(s -> GetSessionResponse.newBuilder().setFound(true).setSession(TouchpointMapper.touchpoint(s)).build())
                .orElse(GetSessionResponse.newBuilder().setFound(false).build());
        return Uni.createFrom().item(response);
    }

    @Override
    @Blocking
    public Uni<GetSiteResponse> getSite(GetSiteRequest request) {
        GetSiteResponse response = sites.findByPublicKey(request.getPublicKey())
                .map(s -> GetSiteResponse.newBuilder().setFound(true).setSite(TouchpointMapper.site(s)).build())
                .orElse(GetSiteResponse.newBuilder().setFound(false).build());
        return Uni.createFrom().item(response);
    }

    private static void requireTenant(String tenantId) {
        if (tenantId == null || tenantId.isBlank()) {
            throw Status.INVALID_ARGUMENT.withDescription("tenant_id is required").asRuntimeException();
        }
    }
}
