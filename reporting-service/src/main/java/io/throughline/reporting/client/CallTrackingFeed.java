package io.throughline.reporting.client;

import io.quarkus.grpc.GrpcClient;
import io.throughline.commons.grpc.ProtoTimes;
import io.throughline.commons.grpc.ServiceCalls;
import io.throughline.contracts.calltracking.v1.CallRecord;
import io.throughline.contracts.calltracking.v1.ListCallChangesRequest;
import io.throughline.contracts.calltracking.v1.ListCallChangesResponse;
import io.throughline.contracts.calltracking.v1.MutinyCallTrackingServiceGrpc.MutinyCallTrackingServiceStub;
import io.throughline.reporting.domain.facts.CallFact;
import io.throughline.reporting.domain.facts.Keys;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** calltracking-service's call changes, over gRPC: judged calls with the caller's person, never a phone number. */
@ApplicationScoped
public class CallTrackingFeed {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final MutinyCallTrackingServiceStub calltracking;
    private final ServiceCalls calls;

    public CallTrackingFeed(@GrpcClient("calltracking") MutinyCallTrackingServiceStub calltracking, ServiceCalls calls) {
        this.calltracking = calltracking;
        this.calls = calls;
    }

    public record CallPage(Map<String, List<CallFact>> byTenant, int size, String next) {
    }

    public CallPage callChanges(String after, int limit) {
        ListCallChangesResponse page = calls.call(calltracking.withDeadlineAfter(20, TimeUnit.SECONDS), s -> s.listCallChanges(
                ListCallChangesRequest.newBuilder().setAfter(after).setLimit(limit).build())).await().atMost(WAIT);
        Map<String, List<CallFact>> byTenant = new LinkedHashMap<>();
        for (CallRecord c : page.getCallsList()) {
            boolean matched = c.getMatchKind().equals("reservation") || c.getMatchKind().equals("static");
            Keys keys = matched || !c.getChannel().isBlank() ? AttributionFeed.keys(c.getChannel(), c.getCampaign())
                    : new Keys("(unmatched)", "", "", "", "");
            byTenant.computeIfAbsent(c.getTenantId(), t -> new ArrayList<>()).add(new CallFact(c.getCallId(), ProtoTimes.instant(c.getStartedAt()),
                    c.getSiteKey(), c.getDirection().equals("inbound"), c.getCompleted(), c.getStatus().equals("answered"), c.getTarget(), c.getFirstTime(),
                    c.getMissed(), c.getCalledBack(), c.getExcluded(), matched, keys, c.getTalkSeconds(),
                    c.getPersonId().isBlank() ? "call:" + c.getCallId() : c.getPersonId(), "returning_customer".equals(c.getVerdict())));
        }
        return new CallPage(byTenant, page.getCallsCount(), page.getNext());
    }
}
