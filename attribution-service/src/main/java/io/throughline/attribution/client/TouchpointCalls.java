package io.throughline.attribution.client;

import io.quarkus.grpc.GrpcClient;
import io.throughline.attribution.domain.journeys.Touch;
import io.throughline.commons.grpc.ProtoTimes;
import io.throughline.commons.grpc.ServiceCalls;
import io.throughline.contracts.calltracking.v1.CallTouchpoint;
import io.throughline.contracts.calltracking.v1.ListCallTouchpointsRequest;
import io.throughline.contracts.calltracking.v1.ListCallTouchpointsResponse;
import io.throughline.contracts.calltracking.v1.MutinyCallTrackingServiceGrpc.MutinyCallTrackingServiceStub;
import io.throughline.contracts.common.v1.TimeRange;
import io.throughline.contracts.common.v1.Touchpoint;
import io.throughline.contracts.tracking.v1.ListTouchpointsRequest;
import io.throughline.contracts.tracking.v1.ListTouchpointsResponse;
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
    /** The services' limit of ids per call when many persons are asked for at once. */
    private static final int MAX_IDS = 1000;

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(TouchpointCalls.class);
    /** Failures of a touch stream that open it again from its last page token. */
    private static final java.util.Set<io.grpc.Status.Code> RESUMABLE = java.util.EnumSet.of(io.grpc.Status.Code.UNAVAILABLE,
            io.grpc.Status.Code.DEADLINE_EXCEEDED, io.grpc.Status.Code.CANCELLED, io.grpc.Status.Code.ABORTED, io.grpc.Status.Code.INTERNAL,
            io.grpc.Status.Code.UNKNOWN);
    /** Reopenings in a row without a new page before the run is failed. */
    static final int RESUMES = 3;

    private final java.util.concurrent.atomic.AtomicLong resumed = new java.util.concurrent.atomic.AtomicLong();
    private final MutinyTrackingServiceStub tracking;
    private final MutinyCallTrackingServiceStub calltracking;
    private final ServiceCalls calls;

    public TouchpointCalls(@GrpcClient("tracking") MutinyTrackingServiceStub tracking,
            @GrpcClient("calltracking") MutinyCallTrackingServiceStub calltracking, ServiceCalls calls) {
        this.tracking = tracking;
        this.calltracking = calltracking;
        this.calls = calls;
    }

    /** Whose touches to find: a person's visitor ids and phones, and where their journeys start. */
    public record Who(List<String> visitorIds, List<String> phonesE164, Instant from) {
    }

    /**
     * {@link #touches} for many persons in as few calls as the services allow (1,000 ids per call): the union of their
     * ids over the widest window, then each touch handed to the persons whose visitor id or phone it carries, within
     * that person's own window. Answers in the persons' order.
     */
    public List<List<Touch>> touchesOfMany(String tenantId, List<Who> persons, Instant to) {
        java.util.LinkedHashSet<String> visitors = new java.util.LinkedHashSet<>();
        java.util.LinkedHashSet<String> phones = new java.util.LinkedHashSet<>();
        Instant from = to;
        Map<String, List<Integer>> byVisitor = new java.util.HashMap<>();
        Map<String, List<Integer>> byPhone = new java.util.HashMap<>();
        for (int i = 0; i < persons.size(); i++) {
            Who w = persons.get(i);
            visitors.addAll(w.visitorIds());
            phones.addAll(w.phonesE164());
            from = w.from().isBefore(from) ? w.from() : from;
            int person = i;
            w.visitorIds().forEach(v -> byVisitor.computeIfAbsent(v, k -> new ArrayList<>()).add(person));
            w.phonesE164().forEach(p -> byPhone.computeIfAbsent(p, k -> new ArrayList<>()).add(person));
        }
        List<Map<String, Touch>> out = new ArrayList<>();
        persons.forEach(p -> out.add(new LinkedHashMap<>()));
        TimeRange range = ProtoTimes.range(from, to);
        List<String> allVisitors = List.copyOf(visitors);
        for (int i = 0; i < allVisitors.size(); i += MAX_IDS) {
            ListTouchpointsRequest request = ListTouchpointsRequest.newBuilder().setTenantId(tenantId)
                    .addAllVisitorIds(allVisitors.subList(i, Math.min(allVisitors.size(), i + MAX_IDS))).setRange(range).build();
            for (Touchpoint t : resumable("tracking", token -> calls.stream(tracking.withDeadlineAfter(60, TimeUnit.SECONDS),
                    s -> s.streamTouchpoints(request.toBuilder().setPageToken(token).build())),
                    ListTouchpointsResponse::getTouchpointsList, ListTouchpointsResponse::getNextPageToken)) {
                if (!t.getExcluded()) {
                    Touch touch = touch(t, "session");
                    for (int person : byVisitor.getOrDefault(t.getVisitorId(), List.of())) {
                        if (!touch.at().isBefore(persons.get(person).from())) {
                            out.get(person).putIfAbsent("s:" + t.getTouchpointId(), touch);
                        }
                    }
                }
            }
        }
        List<String> ids = new ArrayList<>();
        allVisitors.forEach(v -> ids.add("v" + v));
        phones.forEach(p -> ids.add("p" + p));
        for (int i = 0; i < ids.size(); i += MAX_IDS) {
            ListCallTouchpointsRequest.Builder request = ListCallTouchpointsRequest.newBuilder().setTenantId(tenantId).setRange(range);
            for (String id : ids.subList(i, Math.min(ids.size(), i + MAX_IDS))) {
                if (id.charAt(0) == 'v') {
                    request.addVisitorIds(id.substring(1));
                } else {
                    request.addCallerPhonesE164(id.substring(1));
                }
            }
            ListCallTouchpointsRequest built = request.build();
            for (CallTouchpoint c : resumable("calltracking", token -> calls.stream(calltracking.withDeadlineAfter(60, TimeUnit.SECONDS),
                    s -> s.streamCallTouchpoints(built.toBuilder().setPageToken(token).build())),
                    ListCallTouchpointsResponse::getCallsList, ListCallTouchpointsResponse::getNextPageToken)) {
                if (!c.getTouchpoint().getExcluded()) {
                    Touch touch = touch(c.getTouchpoint(), "call");
                    java.util.Set<Integer> owners = new java.util.LinkedHashSet<>(byVisitor.getOrDefault(c.getTouchpoint().getVisitorId(), List.of()));
                    owners.addAll(byPhone.getOrDefault(c.getCallerPhoneE164(), List.of()));
                    for (int person : owners) {
                        if (!touch.at().isBefore(persons.get(person).from())) {
                            out.get(person).putIfAbsent("c:" + c.getCallId(), touch);
                        }
                    }
                }
            }
        }
        return out.stream().map(m -> (List<Touch>) new ArrayList<>(m.values())).toList();
    }

    /**
     * The items of a streamed answer, chunk by chunk as they arrive (at most a few chunks are buffered). When the stream
     * breaks (the service restarted, a connection dropped, the deadline passed) it is opened again from the page token of
     * the last chunk received, up to {@link #RESUMES} times in a row without progress: a run over a million people does not
     * start again for one broken stream. Items may then come twice only from a service that gives no page tokens; the
     * callers count touches by id.
     */
    <C, T> Iterable<T> resumable(String service, java.util.function.Function<String, io.smallrye.mutiny.Multi<C>> open,
            java.util.function.Function<C, List<T>> items, java.util.function.Function<C, String> nextToken) {
        return () -> new java.util.Iterator<>() {
            private String token = "";
            private int failures;
            private java.util.Iterator<C> chunks = open.apply(token).subscribe().asIterable().iterator();
            private java.util.Iterator<T> current = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext()) {
                    C chunk;
                    try {
                        if (!chunks.hasNext()) {
                            return false;
                        }
                        chunk = chunks.next();
                    } catch (io.grpc.StatusRuntimeException e) {
                        if (!RESUMABLE.contains(e.getStatus().getCode()) || ++failures > RESUMES) {
                            throw e;
                        }
                        LOG.warnf("%s stream broke (%s), resuming from %s (attempt %d)", service, e.getStatus().getCode(),
                                token.isEmpty() ? "the start" : "its last page", failures);
                        resumed.incrementAndGet();
                        chunks = open.apply(token).subscribe().asIterable().iterator();
                        continue;
                    }
                    String next = nextToken.apply(chunk);
                    if (!next.isEmpty()) {
                        token = next;
                        failures = 0;
                    }
                    current = items.apply(chunk).iterator();
                }
                return true;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    /** How many times a broken touch stream was opened again since start (for tests and logs). */
    public long resumedStreams() {
        return resumed.get();
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
