package io.throughline.calltracking.grpc;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.throughline.calltracking.store.CallQueries;
import io.throughline.commons.grpc.ProtoTimes;
import io.throughline.contracts.calltracking.v1.CallRecord;
import io.throughline.contracts.calltracking.v1.CallTouchpoint;
import io.throughline.contracts.calltracking.v1.ListCallChangesRequest;
import io.throughline.contracts.calltracking.v1.ListCallChangesResponse;
import io.throughline.contracts.calltracking.v1.CallTrackingService;
import io.throughline.contracts.calltracking.v1.ListCallTouchpointsRequest;
import io.throughline.contracts.calltracking.v1.ListCallTouchpointsResponse;
import io.throughline.contracts.common.v1.Campaign;
import io.throughline.contracts.common.v1.Touchpoint;
import jakarta.annotation.security.RolesAllowed;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** calltracking.v1 for attribution-service: inbound calls as touchpoints, with their match and verdict. */
@GrpcService
@RolesAllowed("service")
public class CallTrackingGrpcService implements CallTrackingService {

    private final CallQueries queries;
    /** How far behind now change reads stay (a write in its transaction is not passed by the reader's cursor). */
    private final java.time.Duration lag;

    public CallTrackingGrpcService(CallQueries queries, io.throughline.calltracking.config.CallTrackingConfig config) {
        this.queries = queries;
        this.lag = config.feedLag();
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
        CallQueries.Position after;
        try {
            after = CallQueries.Position.decode(request.getPageToken());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(BAD_TOKEN.asRuntimeException());
        }
        ListCallTouchpointsResponse.Builder out = ListCallTouchpointsResponse.newBuilder();
        for (CallQueries.Call c : queries.touchpoints(request.getTenantId(), request.getVisitorIdsList(), request.getCallerPhonesE164List(), from, to,
                request.getIncludeExcluded(), after)) {
            out.addCalls(touchpoint(c)).setNextPageToken(new CallQueries.Position(c.startedAt(), c.id()).encode());
        }
        return Uni.createFrom().item(out.build());
    }

    static final int CHUNK = 500;
    private static final Status BAD_TOKEN = Status.INVALID_ARGUMENT.withDescription("page_token is not a token this call returned");

    @Override
    public io.smallrye.mutiny.Multi<ListCallTouchpointsResponse> streamCallTouchpoints(ListCallTouchpointsRequest request) {
        if (request.getTenantId().isBlank()) {
            throw Status.INVALID_ARGUMENT.withDescription("tenant_id is required").asRuntimeException();
        }
        if (request.getVisitorIdsCount() + request.getCallerPhonesE164Count() > 1000) {
            throw Status.INVALID_ARGUMENT.withDescription("at most 1000 visitors and phones").asRuntimeException();
        }
        CallQueries.Position after;
        try {
            after = CallQueries.Position.decode(request.getPageToken());
        } catch (IllegalArgumentException e) {
            throw BAD_TOKEN.asRuntimeException();
        }
        return io.smallrye.mutiny.Multi.createFrom().<ListCallTouchpointsResponse>emitter(emitter -> {
            if (request.getVisitorIdsCount() + request.getCallerPhonesE164Count() > 0) {
                ListCallTouchpointsResponse.Builder[] chunk = {ListCallTouchpointsResponse.newBuilder()};
                queries.forEachTouchpoint(request.getTenantId(), request.getVisitorIdsList(), request.getCallerPhonesE164List(),
                        ProtoTimes.from(request.getRange()), ProtoTimes.to(request.getRange()), request.getIncludeExcluded(), after, c -> {
                            chunk[0].addCalls(touchpoint(c)).setNextPageToken(new CallQueries.Position(c.startedAt(), c.id()).encode());
                            if (chunk[0].getCallsCount() == CHUNK) {
                                emitter.emit(chunk[0].build());
                                chunk[0] = ListCallTouchpointsResponse.newBuilder();
                            }
                        });
                if (chunk[0].getCallsCount() > 0) {
                    emitter.emit(chunk[0].build());
                }
            }
            emitter.complete();
        }).runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool());
    }

    @Override
    @Blocking
    public Uni<ListCallChangesResponse> listCallChanges(ListCallChangesRequest request) {
        CallQueries.Position position;
        try {
            position = CallQueries.Position.decode(request.getAfter().strip());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(Status.INVALID_ARGUMENT.withDescription("after is not a cursor this call returned").asRuntimeException());
        }
        Instant after = position == null ? Instant.EPOCH : position.startedAt();
        UUID afterId = position == null ? new UUID(0, 0) : position.id();
        int limit = request.getLimit() <= 0 ? 1000 : Math.min(request.getLimit(), 1000);
        ListCallChangesResponse.Builder out = ListCallChangesResponse.newBuilder().setNext(request.getAfter());
        for (CallQueries.Change change : queries.changes(after, afterId, lag, limit)) {
            CallQueries.Call c = change.call();
            Map<String, String> campaign = c.campaign();
            out.addCalls(CallRecord.newBuilder().setTenantId(c.tenantId()).setCallId(c.id().toString()).setSiteKey(text(c.siteKey()))
                    .setStartedAt(ProtoTimes.timestamp(c.startedAt())).setDirection(c.direction()).setStatus(text(c.status()))
                    .setCompleted(c.completed()).setTalkSeconds(c.talkSeconds() == null ? 0 : c.talkSeconds()).setTarget(c.target())
                    .setFirstTime(c.firstTime()).setMissed(c.missed()).setCalledBack(c.calledBack()).setExcluded(c.excluded())
                    .addAllExclusionReasons(c.exclusionReasons()).setMatchKind(text(c.matchKind()))
                    .setMatchConfidence(c.matchConfidence() == null ? 0 : c.matchConfidence()).setChannel(text(c.channel()))
                    .setCampaign(Campaign.newBuilder().setSource(campaign.getOrDefault("source", "")).setMedium(campaign.getOrDefault("medium", ""))
                            .setCampaign(campaign.getOrDefault("campaign", "")).setTerm(campaign.getOrDefault("term", "")))
                    .setPersonId(text(change.personId())).setVerdict(text(change.verdict())));
            out.setNext(new CallQueries.Position(change.changedAt(), c.id()).encode());
        }
        return Uni.createFrom().item(out.build());
    }

    private static String text(String value) {
        return value == null ? "" : value;
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
                .setStatus(c.status() == null ? "" : c.status()).setTarget(c.target()).setCallerPhoneE164(c.callerE164() == null ? "" : c.callerE164()).build();
    }

}
