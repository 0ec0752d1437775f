package io.throughline.attribution;

import com.google.protobuf.Timestamp;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import io.throughline.contracts.calltracking.v1.CallTouchpoint;
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

    /** The change feeds: sessions stored late and calls matched late (positions are list indexes). */
    static final List<io.throughline.contracts.tracking.v1.SessionChange> SESSION_CHANGES = new CopyOnWriteArrayList<>();
    static final List<io.throughline.contracts.calltracking.v1.CallRecord> CALL_CHANGES = new CopyOnWriteArrayList<>();

    public static void clear() {
        SESSIONS.clear();
        CALLS.clear();
    }

    /** A session stored after the fact (a slow spool): stored, and named in tracking's session change feed. */
    public static void lateSession(String tenant, String id, String visitor, String at, String channel, String source, String campaign) {
        session(tenant, id, visitor, at, channel, source, campaign, false, false);
        SESSION_CHANGES.add(io.throughline.contracts.tracking.v1.SessionChange.newBuilder().setTenantId(tenant).setSessionId(id).setVisitorId(visitor)
                .setStartedAt(Timestamp.newBuilder().setSeconds(Instant.parse(at).getEpochSecond())).build());
    }

    /** A call matched after the fact and linked to a person: stored, and named in calltracking's call change feed. */
    public static void lateCall(String tenant, String id, String callerE164, String at, String channel, String source, String personId) {
        call(tenant, id, null, callerE164, at, channel, source, false);
        CALL_CHANGES.add(io.throughline.contracts.calltracking.v1.CallRecord.newBuilder().setTenantId(tenant).setCallId(id).setPersonId(personId)
                .setChannel(channel).build());
    }

    private static int position(String after) {
        return after.isEmpty() ? 0 : Integer.parseInt(after);
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

    /** Streams opened from now on that still break, and after how many chunks each breaks (UNAVAILABLE). */
    private static final java.util.concurrent.atomic.AtomicInteger BREAKS = new java.util.concurrent.atomic.AtomicInteger();
    private static volatile int breakAfter;

    /** The next {@code streams} touch streams (sessions or calls) fail with UNAVAILABLE after {@code chunks} chunks. */
    public static void breakStreams(int streams, int chunks) {
        breakAfter = chunks;
        BREAKS.set(streams);
    }

    /** How many of the streams asked to break have not broken yet. */
    public static int breaksLeft() {
        return BREAKS.get();
    }

    private static String token(Touchpoint t) {
        return t.getStartedAt().getSeconds() + "|" + t.getTouchpointId();
    }

    private static final java.util.Comparator<Touchpoint> ORDER = java.util.Comparator.<Touchpoint>comparingLong(t -> t.getStartedAt().getSeconds())
            .thenComparing(Touchpoint::getTouchpointId);

    /** Items ordered as the real services order them, those after the token only, one per chunk, broken when asked. */
    private static <T, C> io.smallrye.mutiny.Multi<C> paged(List<T> items, java.util.function.Function<T, Touchpoint> touchpoint, String pageToken,
            java.util.function.Function<T, C> chunk) {
        List<T> sorted = items.stream().sorted(java.util.Comparator.comparing(touchpoint, ORDER))
                .filter(i -> pageToken.isEmpty() || after(touchpoint.apply(i), pageToken)).toList();
        io.smallrye.mutiny.Multi<C> chunks = io.smallrye.mutiny.Multi.createFrom().iterable(sorted).map(chunk);
        if (BREAKS.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return io.smallrye.mutiny.Multi.createBy().concatenating().streams(chunks.select().first(breakAfter),
                    io.smallrye.mutiny.Multi.createFrom().failure(io.grpc.Status.UNAVAILABLE.withDescription("stream broken by the test").asRuntimeException()));
        }
        return chunks;
    }

    private static boolean after(Touchpoint t, String pageToken) {
        int bar = pageToken.indexOf('|');
        long seconds = Long.parseLong(pageToken.substring(0, bar));
        return t.getStartedAt().getSeconds() > seconds
                || t.getStartedAt().getSeconds() == seconds && t.getTouchpointId().compareTo(pageToken.substring(bar + 1)) > 0;
    }

    static boolean inRange(Touchpoint t, TimeRange range) {
        long s = t.getStartedAt().getSeconds();
        return (!range.hasFrom() || s >= range.getFrom().getSeconds()) && (!range.hasTo() || s < range.getTo().getSeconds() + 1);
    }

    @GrpcService
    @RolesAllowed("service")
    public static class Tracking extends io.throughline.contracts.tracking.v1.MutinyTrackingServiceGrpc.TrackingServiceImplBase {
        /**
         * The same answer, one touchpoint per chunk (the client must put the chunks together), ordered by start then id,
         * each chunk with its page token; after a page token only what follows it; broken as {@link #breakStreams} asks.
         */
        @Override
        public io.smallrye.mutiny.Multi<io.throughline.contracts.tracking.v1.ListTouchpointsResponse> streamTouchpoints(
                io.throughline.contracts.tracking.v1.ListTouchpointsRequest request) {
            return listTouchpoints(request.toBuilder().setPageToken("").build()).onItem().transformToMulti(all -> paged(all.getTouchpointsList(),
                    java.util.function.Function.identity(), request.getPageToken(),
                    t -> io.throughline.contracts.tracking.v1.ListTouchpointsResponse.newBuilder().addTouchpoints(t).setNextPageToken(token(t)).build()));
        }

        @Override
        public Uni<io.throughline.contracts.tracking.v1.ListSessionChangesResponse> listSessionChanges(
                io.throughline.contracts.tracking.v1.ListSessionChangesRequest request) {
            int from = position(request.getAfter());
            int to = Math.min(SESSION_CHANGES.size(), from + Math.max(1, request.getLimit()));
            return Uni.createFrom().item(io.throughline.contracts.tracking.v1.ListSessionChangesResponse.newBuilder()
                    .addAllSessions(SESSION_CHANGES.subList(Math.min(from, to), to)).setNext(Integer.toString(Math.max(from, to))).build());
        }

        @Override
        public Uni<io.throughline.contracts.tracking.v1.ListContactChangesResponse> listContactChanges(
                io.throughline.contracts.tracking.v1.ListContactChangesRequest request) {
            return Uni.createFrom().item(io.throughline.contracts.tracking.v1.ListContactChangesResponse.newBuilder().setNext(request.getAfter()).build());
        }

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

    }

    @GrpcService
    @RolesAllowed("service")
    public static class Calls extends io.throughline.contracts.calltracking.v1.MutinyCallTrackingServiceGrpc.CallTrackingServiceImplBase {
        @Override
        public io.smallrye.mutiny.Multi<ListCallTouchpointsResponse> streamCallTouchpoints(ListCallTouchpointsRequest request) {
            return listCallTouchpoints(request).onItem().transformToMulti(all -> paged(all.getCallsList(), CallTouchpoint::getTouchpoint,
                    request.getPageToken(), c -> ListCallTouchpointsResponse.newBuilder().addCalls(c).setNextPageToken(token(c.getTouchpoint())).build()));
        }

        @Override
        public Uni<io.throughline.contracts.calltracking.v1.ListCallChangesResponse> listCallChanges(
                io.throughline.contracts.calltracking.v1.ListCallChangesRequest request) {
            int from = position(request.getAfter());
            int to = Math.min(CALL_CHANGES.size(), from + Math.max(1, request.getLimit()));
            return Uni.createFrom().item(io.throughline.contracts.calltracking.v1.ListCallChangesResponse.newBuilder()
                    .addAllCalls(CALL_CHANGES.subList(Math.min(from, to), to)).setNext(Integer.toString(Math.max(from, to))).build());
        }

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

    }
}
