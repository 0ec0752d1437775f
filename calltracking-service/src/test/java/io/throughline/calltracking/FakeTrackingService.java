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
import jakarta.annotation.security.RolesAllowed;

/** tracking.v1 as tracking-service answers it, mocked at the gRPC boundary: two sites, one outage key. */
@GrpcService
@RolesAllowed("service")
public class FakeTrackingService extends io.throughline.contracts.tracking.v1.MutinyTrackingServiceGrpc.TrackingServiceImplBase {

    public static final String ACME_SITE = "pk_acmeacmeacmeacmeacme";
    public static final String GLOBEX_SITE = "pk_globexglobexglobexgl";
    public static final String OUTAGE = "pk_outage";
    /** Keys "pk_t_{tenant}_{anything}" are sites of that tenant: each test can have sites (and pools) of its own. */
    public static final String PER_TEST = "pk_t_";

    public static String site(String tenant, String name) {
        return PER_TEST + tenant + "_" + name;
    }

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
            default -> request.getPublicKey().startsWith(PER_TEST)
                    ? found(request.getPublicKey(), request.getPublicKey().substring(PER_TEST.length()).split("_")[0])
                    : Uni.createFrom().item(GetSiteResponse.newBuilder().setFound(false).build());
        };
    }

    /** Sessions by visitor id ("tenant/visitor"), as tests record them. */
    public static final java.util.Map<String, java.util.List<io.throughline.contracts.common.v1.Touchpoint>> SESSIONS =
            new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public Uni<ListTouchpointsResponse> listTouchpoints(ListTouchpointsRequest request) {
        ListTouchpointsResponse.Builder out = ListTouchpointsResponse.newBuilder();
        for (String visitor : request.getVisitorIdsList()) {
            SESSIONS.getOrDefault(request.getTenantId() + "/" + visitor, java.util.List.of()).stream()
                    .filter(t -> !request.hasRange() || t.getStartedAt().getSeconds() >= request.getRange().getFrom().getSeconds()
                            && t.getStartedAt().getSeconds() < request.getRange().getTo().getSeconds())
                    .forEach(out::addTouchpoints);
        }
        return Uni.createFrom().item(out.build());
    }

    @Override
    public Uni<GetSessionResponse> getSession(GetSessionRequest request) {
        return Uni.createFrom().item(SESSIONS.entrySet().stream().filter(e -> e.getKey().startsWith(request.getTenantId() + "/"))
                .flatMap(e -> e.getValue().stream()).filter(t -> t.getTouchpointId().equals(request.getSessionId())).findFirst()
                .map(t -> GetSessionResponse.newBuilder().setFound(true).setSession(t).build())
                .orElse(GetSessionResponse.newBuilder().setFound(false).build()));
    }

    private static Uni<GetSiteResponse> found(String key, String tenant) {
        return Uni.createFrom().item(GetSiteResponse.newBuilder().setFound(true).setSite(Site.newBuilder()
                .setPublicKey(key).setTenantId(tenant).setDefaultPhoneRegion("RU")
                .addDomains(tenant + ".test").addDomains("shop.test")).build());
    }

}
