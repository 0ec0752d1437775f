package io.throughline.calltracking.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import io.throughline.calltracking.domain.TrackedSite;
import io.throughline.commons.api.ProblemException;
import io.throughline.commons.grpc.ServiceCalls;
import io.throughline.contracts.tracking.v1.GetSiteRequest;
import io.throughline.contracts.tracking.v1.MutinyTrackingServiceGrpc.MutinyTrackingServiceStub;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/** Sites as tracking-service knows them, over gRPC with this service's token. */
@ApplicationScoped
public class TrackingSites {

    private final MutinyTrackingServiceStub tracking;
    private final ServiceCalls calls;

    public TrackingSites(@GrpcClient("tracking") MutinyTrackingServiceStub tracking, ServiceCalls calls) {
        this.tracking = tracking;
        this.calls = calls;
    }

    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, retryOn = StatusRuntimeException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.8, delay = 10, delayUnit = ChronoUnit.SECONDS,
            skipOn = ProblemException.class)
    public Uni<Optional<TrackedSite>> byPublicKey(String publicKey) {
        return calls.call(tracking.withDeadlineAfter(3, java.util.concurrent.TimeUnit.SECONDS),
                        stub -> stub.getSite(GetSiteRequest.newBuilder().setPublicKey(publicKey).build()))
                .map(r -> r.getFound()
                        ? Optional.of(new TrackedSite(r.getSite().getPublicKey(), r.getSite().getTenantId(), r.getSite().getDefaultPhoneRegion(),
                                r.getSite().getDomainsList()))
                        : Optional.<TrackedSite>empty())
                .onFailure(StatusRuntimeException.class)
                .transform(e -> unavailable((StatusRuntimeException) e));
    }

    private static RuntimeException unavailable(StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
            return e;
        }
        return ProblemException.unavailable("tracking-service refused the site lookup (" + code + ")");
    }
}
