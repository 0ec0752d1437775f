package io.throughline.calltracking.client;

import io.quarkus.grpc.GrpcClient;
import io.throughline.commons.grpc.ProtoTimes;
import io.throughline.commons.grpc.ServiceCalls;
import io.throughline.contracts.common.v1.Touchpoint;
import io.throughline.contracts.identity.v1.Identifier;
import io.throughline.contracts.identity.v1.IdentifierType;
import io.throughline.contracts.identity.v1.LinkRequest;
import io.throughline.contracts.identity.v1.LinkResponse;
import io.throughline.contracts.identity.v1.MutinyIdentityServiceGrpc.MutinyIdentityServiceStub;
import io.throughline.contracts.tracking.v1.GetSessionRequest;
import io.throughline.contracts.tracking.v1.ListTouchpointsRequest;
import io.throughline.contracts.tracking.v1.MutinyTrackingServiceGrpc.MutinyTrackingServiceStub;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * tracking-service and identity-service as the call processor uses them, over gRPC with this service's token,
 * each call bounded by a deadline. Retrying is the processor's business (the call stays due), so nothing is
 * retried here; a failure surfaces as the gRPC status.
 */
@ApplicationScoped
public class PlatformCalls {

    public static final String CONSUMER = "calltracking";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final MutinyTrackingServiceStub tracking;
    private final MutinyIdentityServiceStub identity;
    private final ServiceCalls calls;

    public PlatformCalls(@GrpcClient("tracking") MutinyTrackingServiceStub tracking, @GrpcClient("identity") MutinyIdentityServiceStub identity,
            ServiceCalls calls) {
        this.tracking = tracking;
        this.identity = identity;
        this.calls = calls;
    }

    public Optional<Touchpoint> session(String tenantId, String sessionId) {
        var r = calls.call(tracking.withDeadlineAfter(5, TimeUnit.SECONDS), s -> s.getSession(GetSessionRequest.newBuilder()
                .setTenantId(tenantId).setSessionId(sessionId).build())).await().atMost(WAIT);
        return r.getFound() ? Optional.of(r.getSession()) : Optional.empty();
    }

    /** The visitor's sessions that started within the range (flagged ones too), oldest first. */
    public List<Touchpoint> sessions(String tenantId, String visitorId, Instant from, Instant to) {
        return calls.call(tracking.withDeadlineAfter(5, TimeUnit.SECONDS), s -> s.listTouchpoints(ListTouchpointsRequest.newBuilder()
                .setTenantId(tenantId).addVisitorIds(visitorId).setIncludeExcluded(true)
                .setRange(ProtoTimes.range(from, to)).build())).await().atMost(WAIT)
                .getTouchpointsList();
    }

    /**
     * Links the caller's phone in identity-service, to the visitor who was shown the number when the match is certain
     * ({@code visitorId} null otherwise: the phone alone is still a person, whose later contacts are not new leads).
     */
    public LinkResponse link(String tenantId, String eventId, String visitorId, String phoneE164, Instant observedAt) {
        LinkRequest.Builder request = LinkRequest.newBuilder().setTenantId(tenantId).setSource(CONSUMER).setEventId(eventId)
                .setObservedAt(ProtoTimes.timestamp(observedAt)).setDefaultPhoneRegion("RU");
        if (visitorId != null) {
            request.addIdentifiers(Identifier.newBuilder().setType(IdentifierType.IDENTIFIER_TYPE_VISITOR_ID).setValue(visitorId));
        }
        request.addIdentifiers(Identifier.newBuilder().setType(IdentifierType.IDENTIFIER_TYPE_PHONE).setValue(phoneE164));
        return calls.call(identity.withDeadlineAfter(5, TimeUnit.SECONDS), s -> s.link(request.build())).await().atMost(WAIT);
    }

}
