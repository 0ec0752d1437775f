package io.throughline.calltracking;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import io.throughline.contracts.tracking.v1.GetSessionRequest;
import io.throughline.contracts.tracking.v1.GetSessionResponse;
import io.throughline.contracts.tracking.v1.GetSiteRequest;
import io.throughline.contracts.tracking.v1.GetSiteResponse;
import io.throughline.contracts.tracking.v1.ListTouchpointsRequest;
import io.throughline.contracts.tracking.v1.ListTouchpointsResponse;
import io.throughline.contracts.tracking.v1.Site;
import io.throughline.contracts.tracking.v1.TrackingService;
import jakarta.annotation.security.RolesAllowed;

/** tracking.v1 as tracking-service answers it, mocked at the gRPC boundary: two sites, one outage key. */
@GrpcService
@RolesAllowed("service")
public class FakeTrackingService implements TrackingService {

    public static final String ACME_SITE = "pk_acmeacmeacmeacmeacme";
    public static final String GLOBEX_SITE = "pk_globexglobexglobexgl";
    public static final String OUTAGE = "pk_outage";

    /** The request id the last GetSite call carried (the caller's X-Request-Id, passed on as gRPC metadata). */
    public static volatile String lastRequestId;

    @Override
    public Uni<GetSiteResponse> getSite(GetSiteRequest request) {
        Object requestId = org.jboss.logging.MDC.get("request_id");
        lastRequestId = requestId == null ? null : requestId.toString();
        return switch (request.getPublicKey()) {
            case ACME_SITE -> found(ACME_SITE, "acme");
            case GLOBEX_SITE -> found(GLOBEX_SITE, "globex");
            case OUTAGE -> Uni.createFrom().failure(Status.UNAVAILABLE.asRuntimeException());
            default -> Uni.createFrom().item(GetSiteResponse.newBuilder().setFound(false).build());
        };
    }

    @Override
    public Uni<ListTouchpointsResponse> listTouchpoints(ListTouchpointsRequest request) {
        return Uni.createFrom().failure(Status.UNIMPLEMENTED.asRuntimeException());
    }

    @Override
    public Uni<GetSessionResponse> getSession(GetSessionRequest request) {
        return Uni.createFrom().failure(Status.UNIMPLEMENTED.asRuntimeException());
    }

    private static Uni<GetSiteResponse> found(String key, String tenant) {
        return Uni.createFrom().item(GetSiteResponse.newBuilder().setFound(true).setSite(Site.newBuilder()
                .setPublicKey(key).setTenantId(tenant).setDefaultPhoneRegion("RU")).build());
    }
}
