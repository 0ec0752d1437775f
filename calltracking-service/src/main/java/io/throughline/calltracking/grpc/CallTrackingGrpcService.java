package io.throughline.calltracking.grpc;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.throughline.calltracking.store.CallQueries;
import io.throughline.commons.grpc.ProtoTimes;
import io.throughline.contracts.calltracking.v1.CallTouchpoint;
import io.throughline.contracts.calltracking.v1.CallTrackingService;
import io.throughline.contracts.calltracking.v1.ListCallTouchpointsRequest;
import io.throughline.contracts.calltracking.v1.ListCallTouchpointsResponse;
import io.throughline.contracts.common.v1.Campaign;
import io.throughline.contracts.common.v1.Touchpoint;
import jakarta.annotation.security.RolesAllowed;
import java.time.Instant;
import java.util.Map;

/** calltracking.v1 for attribution-service: inbound calls as touchpoints, with their match and verdict. */
@GrpcService
@RolesAllowed("service")
public class CallTrackingGrpcService implements CallTrackingService {

    private final CallQueries queries;

    public CallTrackingGrpcService(CallQueries queries) {
        this.queries = queries;
    }

    @Override
    @Blocking
    public Uni<ListCallTouchpointsResponse> listCallTouchpoints(ListCallTouchpointsRequest request) {
        if (request.getTenantId().isBlank()) {
            return Uni.createFrom().failure(Status.INVALID_ARGUMENT.withDescription("tenant_id is required").asRuntimeException());
        }
        if (request.getVisitorIdsCount() + request.getCallerPhonesE164Count() == 0) {
            return Uni.createFrom().failure(Status.INVALID_ARGUMENT.withDescription("visitor_ids or caller_phones_e164 is required").asRuntimeException());
        }
        if (request.getVisitorIdsCount() + request.getCallerPhonesE164Count() > 1000) {
            return Uni.createFrom().failure(Status.INVALID_ARGUMENT.withDescription("at most 1000 visitors and phones").asRuntimeException());
        }
        Instant from = ProtoTimes.from(request.getRange());
        Instant to = ProtoTimes.to(request.getRange());
        ListCallTouchpointsResponse.Builder out = ListCallTouchpointsResponse.newBuilder();
        for (CallQueries.Call c : queries.touchpoints(request.getTenantId(), request.getVisitorIdsList(), request.getCallerPhonesE164List(), from, to,
                request.getIncludeExcluded())) {
            out.addCalls(touchpoint(c));
        }
        return Uni.createFrom().item(out.build());
    }

    static CallTouchpoint touchpoint(CallQueries.Call c) {
        Map<String, String> campaign = c.campaign();
        Touchpoint.Builder t = Touchpoint.newBuilder().setTouchpointId("call:" + c.id()).setKind(Touchpoint.Kind.KIND_CALL)
                .setStartedAt(ProtoTimes.timestamp(c.startedAt())).setChannel(c.channel() == null ? "unknown" : c.channel())
                .setCampaign(Campaign.newBuilder().setSource(campaign.getOrDefault("source", "")).setMedium(campaign.getOrDefault("medium", ""))
                        .setCampaign(campaign.getOrDefault("campaign", "")).setTerm(campaign.getOrDefault("term", ""))
                        .setContent(campaign.getOrDefault("content", "")))
                .putAllClickIds(c.clickIds()).setExcluded(c.excluded()).addAllExclusionReasons(c.exclusionReasons());
        if (c.visitorId() != null) {
            t.setVisitorId(c.visitorId());
        }
        if (c.endedAt() != null) {
            t.setEndedAt(ProtoTimes.timestamp(c.endedAt()));
        }
        if (c.landingPage() != null) {
            t.setLandingPage(c.landingPage());
        }
        if (c.referrer() != null) {
            t.setReferrer(c.referrer());
        }
        return CallTouchpoint.newBuilder().setTouchpoint(t).setCallId(c.id().toString())
                .setMatchConfidence(c.matchConfidence() == null ? 0 : c.matchConfidence()).setTalkSeconds(c.talkSeconds() == null ? 0 : c.talkSeconds())
                .setStatus(c.status() == null ? "" : c.status()).setTarget(c.target()).build();
    }

}
