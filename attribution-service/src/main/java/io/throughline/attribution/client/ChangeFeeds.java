package io.throughline.attribution.client;

import io.quarkus.grpc.GrpcClient;
import io.throughline.commons.grpc.ServiceCalls;
import io.throughline.contracts.calltracking.v1.ListCallChangesRequest;
import io.throughline.contracts.calltracking.v1.ListCallChangesResponse;
import io.throughline.contracts.calltracking.v1.MutinyCallTrackingServiceGrpc.MutinyCallTrackingServiceStub;
import io.throughline.contracts.tracking.v1.ListContactChangesRequest;
import io.throughline.contracts.tracking.v1.ListContactChangesResponse;
import io.throughline.contracts.tracking.v1.ListSessionChangesRequest;
import io.throughline.contracts.tracking.v1.ListSessionChangesResponse;
import io.throughline.contracts.tracking.v1.MutinyTrackingServiceGrpc.MutinyTrackingServiceStub;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The touch change feeds of tracking-service (sessions, leads) and calltracking-service (calls), read by cursor. */
@ApplicationScoped
public class ChangeFeeds {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final MutinyTrackingServiceStub tracking;
    private final MutinyCallTrackingServiceStub calltracking;
    private final ServiceCalls calls;

    public ChangeFeeds(@GrpcClient("tracking") MutinyTrackingServiceStub tracking,
            @GrpcClient("calltracking") MutinyCallTrackingServiceStub calltracking, ServiceCalls calls) {
        this.tracking = tracking;
        this.calltracking = calltracking;
        this.calls = calls;
    }

    public ListSessionChangesResponse sessions(String after, int limit) {
        ListSessionChangesRequest request = ListSessionChangesRequest.newBuilder().setAfter(after).setLimit(limit).build();
        return calls.call(tracking.withDeadlineAfter(15, TimeUnit.SECONDS), s -> s.listSessionChanges(request)).await().atMost(WAIT);
    }

    public ListContactChangesResponse contacts(String after, int limit) {
        ListContactChangesRequest request = ListContactChangesRequest.newBuilder().setAfter(after).setLimit(limit).build();
        return calls.call(tracking.withDeadlineAfter(15, TimeUnit.SECONDS), s -> s.listContactChanges(request)).await().atMost(WAIT);
    }

    public ListCallChangesResponse calls(String after, int limit) {
        ListCallChangesRequest request = ListCallChangesRequest.newBuilder().setAfter(after).setLimit(limit).build();
        return calls.call(calltracking.withDeadlineAfter(15, TimeUnit.SECONDS), s -> s.listCallChanges(request)).await().atMost(WAIT);
    }
}
