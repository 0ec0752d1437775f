package io.throughline.attribution.client;

import io.quarkus.grpc.GrpcClient;
import io.throughline.attribution.domain.journeys.Touch;
import io.throughline.commons.grpc.ProtoTimes;
import io.throughline.commons.grpc.ServiceCalls;
import io.throughline.contracts.calltracking.v1.CallTouchpoint;
import io.throughline.contracts.calltracking.v1.ListCallTouchpointsRequest;
import io.throughline.contracts.calltracking.v1.MutinyCallTrackingServiceGrpc.MutinyCallTrackingServiceStub;
import io.throughline.contracts.common.v1.TimeRange;
import io.throughline.contracts.common.v1.Touchpoint;
import io.throughline.contracts.tracking.v1.ListTouchpointsRequest;
import io.throughline.contracts.tracking.v1.MutinyTrackingServiceGrpc.MutinyTrackingServiceStub;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A person's touches from tracking-service (web sessions of their visitor ids) and calltracking-service (calls matched
 * to those visitors or made from their phones), over gRPC with this service's token. Bots and spam calls (flagged
 * {@code excluded}) are left out; a call matched to a session and also found by phone is counted once.
 */
@ApplicationScoped
public class TouchpointCalls {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** tracking-service's limit of visitor ids per ListTouchpoints call. */
    private static final int VISITORS_PER_CALL = 100;

    private final MutinyTrackingServiceStub tracking;
    private final MutinyCallTrackingServiceStub calltracking;
    private final ServiceCalls calls;

    public TouchpointCalls(@GrpcClient("tracking") MutinyTrackingServiceStub tracking,
            @GrpcClient("calltracking") MutinyCallTrackingServiceStub calltracking, ServiceCalls calls) {
        this.tracking = tracking;
        this.calltracking = calltracking;
        this.calls = calls;
    }

    public List<Touch> touches(String tenantId, List<String> visitorIds, List<String> phonesE164, Instant from, Instant to) {
        TimeRange range = ProtoTimes.range(from, to);
        Map<String, Touch> out = new LinkedHashMap<>();
        for (int i = 0; i < visitorIds.size(); i += VISITORS_PER_CALL) {
            List<String> chunk = visitorIds.subList(i, Math.min(visitorIds.size(), i + VISITORS_PER_CALL));
            ListTouchpointsRequest request = ListTouchpointsRequest.newBuilder().setTenantId(tenantId).addAllVisitorIds(chunk).setRange(range).build();
            for (Touchpoint t : calls.call(tracking.withDeadlineAfter(15, TimeUnit.SECONDS), s -> s.listTouchpoints(request)).await().atMost(WAIT)
                    .getTouchpointsList()) {
                if (!t.getExcluded()) {
                    out.putIfAbsent("s:" + t.getTouchpointId(), touch(t, "session"));
                }
            }
        }
        if (!visitorIds.isEmpty() || !phonesE164.isEmpty()) {
            ListCallTouchpointsRequest request = ListCallTouchpointsRequest.newBuilder().setTenantId(tenantId).addAllVisitorIds(visitorIds)
                    .addAllCallerPhonesE164(phonesE164).setRange(range).build();
            for (CallTouchpoint c : calls.call(calltracking.withDeadlineAfter(15, TimeUnit.SECONDS), s -> s.listCallTouchpoints(request))
                    .await().atMost(WAIT).getCallsList()) {
                if (!c.getTouchpoint().getExcluded()) {
                    out.putIfAbsent("c:" + c.getCallId(), touch(c.getTouchpoint(), "call"));
                }
            }
        }
        return new ArrayList<>(out.values());
    }

    /** The person's web sessions that carry click ids (bots left out), with the ids, for offline conversions. */
    public List<io.throughline.attribution.domain.audiences.OfflineConversion.Click> clicks(String tenantId, List<String> visitorIds, Instant from,
            Instant to) {
        TimeRange range = ProtoTimes.range(from, to);
        List<io.throughline.attribution.domain.audiences.OfflineConversion.Click> out = new ArrayList<>();
        for (int i = 0; i < visitorIds.size(); i += VISITORS_PER_CALL) {
            List<String> chunk = visitorIds.subList(i, Math.min(visitorIds.size(), i + VISITORS_PER_CALL));
            ListTouchpointsRequest request = ListTouchpointsRequest.newBuilder().setTenantId(tenantId).addAllVisitorIds(chunk).setRange(range).build();
            for (Touchpoint t : calls.call(tracking.withDeadlineAfter(15, TimeUnit.SECONDS), s -> s.listTouchpoints(request)).await().atMost(WAIT)
                    .getTouchpointsList()) {
                if (!t.getExcluded() && t.getClickIdsCount() > 0) {
                    out.add(new io.throughline.attribution.domain.audiences.OfflineConversion.Click(ProtoTimes.instant(t.getStartedAt()),
                            Map.copyOf(t.getClickIdsMap())));
                }
            }
        }
        return out;
    }

    private static Touch touch(Touchpoint t, String kind) {
        Instant at = ProtoTimes.instant(t.getStartedAt());
        String channel = t.getChannel().isBlank() ? "unknown" : t.getChannel();
        return new Touch(t.getTouchpointId(), kind, at, channel, t.getCampaign().getSource(), t.getCampaign().getMedium(), t.getCampaign().getCampaign(),
                t.getCampaign().getTerm(), t.getClickIdsCount() > 0);
    }
}
