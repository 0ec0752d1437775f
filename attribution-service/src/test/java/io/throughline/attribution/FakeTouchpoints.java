package io.throughline.attribution;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import io.throughline.contracts.calltracking.v1.CallTouchpoint;
import io.throughline.contracts.calltracking.v1.CallTrackingService;
import io.throughline.contracts.calltracking.v1.ListCallTouchpointsRequest;
import io.throughline.contracts.calltracking.v1.ListCallTouchpointsResponse;
import io.throughline.contracts.common.v1.Campaign;
import io.throughline.contracts.common.v1.TimeRange;
import io.throughline.contracts.common.v1.Touchpoint;
import jakarta.annotation.security.RolesAllowed;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * tracking.v1 ListTouchpoints and calltracking.v1 ListCallTouchpoints mocked at the gRPC boundary: sessions and
 * calls added by tests, filtered as the real services filter them (tenant, visitors or caller phones, time range,
 * excluded touches only when asked).
 */
public final class FakeTouchpoints {

    record Stored(String tenant, Touchpoint touchpoint, String callerPhone) {
    }

    static final List<Stored> SESSIONS = new CopyOnWriteArrayList<>();
    static final List<Stored> CALLS = new CopyOnWriteArrayList<>();

    private FakeTouchpoints() {
    }

    public static void clear() {
        SESSIONS.clear();
        CALLS.clear();
    }

    public static void session(String tenant, String id, String visitor, String at, String channel, String source, String campaign, boolean clickId,
            boolean bot) {
        SESSIONS.add(new Stored(tenant, touchpoint(id, Touchpoint.Kind.KIND_SESSION, visitor, at, channel, source, campaign, clickId, bot), null));
    }

    /** A web session of the visitor carrying these click ids (gclid, yclid, fbclid ...). */
    public static void sessionWithClicks(String tenant, String id, String visitor, String at, java.util.Map<String, String> clickIds) {
        Touchpoint t = touchpoint(id, Touchpoint.Kind.KIND_SESSION, visitor, at, "paid_search", "google", "sofas", false, false).toBuilder()
                .putAllClickIds(clickIds).build();
        SESSIONS.add(new Stored(tenant, t, null));
    }

    public static void call(String tenant, String id, String visitor, String callerE164, String at, String channel, String source, boolean spam) {
        CALLS.add(new Stored(tenant, touchpoint(id, Touchpoint.Kind.KIND_CALL, visitor, at, channel, source, "", false, spam), callerE164));
    }

    private static Touchpoint touchpoint(String id, Touchpoint.Kind kind, String visitor, String at, String channel, String source, String campaign,
            boolean clickId, boolean excluded) {
        Instant t = Instant.parse(at);
        Touchpoint.Builder b = Touchpoint.newBuilder().setTouchpointId(id).setKind(kind).setVisitorId(visitor == null ? "" : visitor)
                .setStartedAt(Timestamp.newBuilder().setSeconds(t.getEpochSecond())).setChannel(channel)
                .setCampaign(Campaign.newBuilder().setSource(source).setMedium(channel.equals("paid_search") ? "cpc" : "").setCampaign(campaign)
                        .setTerm(campaign.isEmpty() ? "" : "sofa"))
                .setExcluded(excluded);
        if (clickId) {
            b.putClickIds("yclid", "77" + id.hashCode());
        }
        return b.build();
    }

    static boolean inRange(Touchpoint t, TimeRange range) {
        long s = t.getStartedAt().getSeconds();
        return (!range.hasFrom() || s >= range.getFrom().getSeconds()) && (!range.hasTo() || s < range.getTo().getSeconds() + 1);
    }

    @GrpcService
    @RolesAllowed("service")
    public static class Tracking implements io.throughline.contracts.tracking.v1.TrackingService {
        @Override
        public Uni<io.throughline.contracts.tracking.v1.ListTouchpointsResponse> listTouchpoints(
                io.throughline.contracts.tracking.v1.ListTouchpointsRequest request) {
            var out = io.throughline.contracts.tracking.v1.ListTouchpointsResponse.newBuilder();
            SESSIONS.stream().filter(s -> s.tenant().equals(request.getTenantId())).map(Stored::touchpoint)
                    .filter(t -> request.getVisitorIdsList().contains(t.getVisitorId()) && inRange(t, request.getRange())
                            && (request.getIncludeExcluded() || !t.getExcluded()))
                    .forEach(out::addTouchpoints);
            return Uni.createFrom().item(out.build());
        }

        @Override
        public Uni<io.throughline.contracts.tracking.v1.GetSessionResponse> getSession(io.throughline.contracts.tracking.v1.GetSessionRequest r) {
            return Uni.createFrom().failure(Status.UNIMPLEMENTED.asRuntimeException());
        }

        @Override
        public Uni<io.throughline.contracts.tracking.v1.GetSiteResponse> getSite(io.throughline.contracts.tracking.v1.GetSiteRequest r) {
            return Uni.createFrom().failure(Status.UNIMPLEMENTED.asRuntimeException());
        }

        @Override
        public io.smallrye.mutiny.Multi<io.throughline.contracts.tracking.v1.TrafficChunk> streamTraffic(
                io.throughline.contracts.tracking.v1.StreamTrafficRequest request) {
            return io.smallrye.mutiny.Multi.createFrom().failure(io.grpc.Status.UNIMPLEMENTED.asRuntimeException());
        }

        @Override
        public Uni<io.throughline.contracts.tracking.v1.ListContactChangesResponse> listContactChanges(
                io.throughline.contracts.tracking.v1.ListContactChangesRequest request) {
            return Uni.createFrom().failure(io.grpc.Status.UNIMPLEMENTED.asRuntimeException());
        }
    }

    @GrpcService
    @RolesAllowed("service")
    public static class Calls implements CallTrackingService {
        @Override
        public Uni<ListCallTouchpointsResponse> listCallTouchpoints(ListCallTouchpointsRequest request) {
            var out = ListCallTouchpointsResponse.newBuilder();
            for (Stored c : CALLS) {
                Touchpoint t = c.touchpoint();
                boolean mine = request.getVisitorIdsList().contains(t.getVisitorId()) || request.getCallerPhonesE164List().contains(c.callerPhone());
                if (c.tenant().equals(request.getTenantId()) && mine && inRange(t, request.getRange())
                        && (request.getIncludeExcluded() || !t.getExcluded())) {
                    out.addCalls(CallTouchpoint.newBuilder().setTouchpoint(t).setCallId(t.getTouchpointId()).setMatchConfidence(1)
                            .setStatus("answered").setTalkSeconds(120).setTarget(true).setCallerPhoneE164(c.callerPhone() == null ? "" : c.callerPhone()));
                }
            }
            return Uni.createFrom().item(out.build());
        }

        @Override
        public Uni<io.throughline.contracts.calltracking.v1.ListCallChangesResponse> listCallChanges(
                io.throughline.contracts.calltracking.v1.ListCallChangesRequest request) {
            return Uni.createFrom().failure(io.grpc.Status.UNIMPLEMENTED.asRuntimeException());
        }
    }
}
