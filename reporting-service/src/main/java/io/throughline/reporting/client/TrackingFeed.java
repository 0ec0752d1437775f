package io.throughline.reporting.client;

import io.quarkus.grpc.GrpcClient;
import io.throughline.commons.grpc.ProtoTimes;
import io.throughline.commons.grpc.ServiceCalls;
import io.throughline.contracts.tracking.v1.Contact;
import io.throughline.contracts.tracking.v1.ListContactChangesRequest;
import io.throughline.contracts.tracking.v1.ListContactChangesResponse;
import io.throughline.contracts.tracking.v1.MutinyTrackingServiceGrpc.MutinyTrackingServiceStub;
import io.throughline.contracts.tracking.v1.StreamTrafficRequest;
import io.throughline.contracts.tracking.v1.TrafficChunk;
import io.throughline.contracts.tracking.v1.TrafficRow;
import io.throughline.reporting.domain.facts.ContactFact;
import io.throughline.reporting.domain.facts.TrafficFact;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** tracking-service's feeds: sessions per day and campaign keys, and form leads with their person, over gRPC. */
@ApplicationScoped
public class TrackingFeed {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final MutinyTrackingServiceStub tracking;
    private final ServiceCalls calls;

    public TrackingFeed(@GrpcClient("tracking") MutinyTrackingServiceStub tracking, ServiceCalls calls) {
        this.tracking = tracking;
        this.calls = calls;
    }

    /** Sessions that started in [from, to), per workspace (all of them, or one), days cut in each workspace's zone. */
    public Map<String, List<TrafficFact>> traffic(String tenantId, Instant from, Instant to, Map<String, ZoneId> zones, ZoneId fallback) {
        StreamTrafficRequest.Builder request = StreamTrafficRequest.newBuilder().setRange(ProtoTimes.range(from, to))
                .setDefaultTimeZone(fallback.getId()).setTenantId(tenantId == null ? "" : tenantId);
        zones.forEach((t, z) -> request.putTimeZones(t, z.getId()));
        Map<String, List<TrafficFact>> out = new LinkedHashMap<>();
        for (TrafficChunk chunk : calls.stream(tracking.withDeadlineAfter(30, TimeUnit.MINUTES), s -> s.streamTraffic(request.build())).subscribe()
                .asIterable()) {
            for (TrafficRow r : chunk.getRowsList()) {
                out.computeIfAbsent(r.getTenantId(), t -> new ArrayList<>()).add(new TrafficFact(LocalDate.parse(r.getDay()), r.getSiteId(),
                        r.getSiteKey(), AttributionFeed.keys(r.getChannel(), r.getCampaign()), r.getSessions(), r.getBotSessions()));
            }
        }
        return out;
    }

    public record ContactPage(Map<String, List<ContactFact>> byTenant, Map<String, List<String[]>> sites, int size, String next) {
    }

    public ContactPage contactChanges(String after, int limit) {
        ListContactChangesResponse page = calls.call(tracking.withDeadlineAfter(20, TimeUnit.SECONDS), s -> s.listContactChanges(
                ListContactChangesRequest.newBuilder().setAfter(after).setLimit(limit).build())).await().atMost(WAIT);
        Map<String, List<ContactFact>> byTenant = new LinkedHashMap<>();
        Map<String, List<String[]>> sites = new LinkedHashMap<>();
        for (Contact c : page.getContactsList()) {
            String id = "form:" + c.getContactId();
            byTenant.computeIfAbsent(c.getTenantId(), t -> new ArrayList<>()).add(new ContactFact(id, "form", ProtoTimes.instant(c.getOccurredAt()),
                    c.getSiteKey(), AttributionFeed.keys(c.getChannel(), c.getCampaign()), c.getPersonId().isBlank() ? id : c.getPersonId(), c.getJunk(),
                    "returning_customer".equals(c.getVerdict())));
            sites.computeIfAbsent(c.getTenantId(), t -> new ArrayList<>()).add(new String[] {c.getSiteId(), c.getSiteKey()});
        }
        return new ContactPage(byTenant, sites, page.getContactsCount(), page.getNext());
    }

    /** A page of tracking's session changes: per workspace the earliest start among the sessions stored or flagged, and the next cursor. */
    public record SessionPage(Map<String, Instant> earliestByTenant, int size, String next) {
    }

    public SessionPage sessionChanges(String after, int limit) {
        io.throughline.contracts.tracking.v1.ListSessionChangesResponse page = calls.call(tracking.withDeadlineAfter(20, TimeUnit.SECONDS),
                s -> s.listSessionChanges(io.throughline.contracts.tracking.v1.ListSessionChangesRequest.newBuilder().setAfter(after).setLimit(limit)
                        .build())).await().atMost(WAIT);
        Map<String, Instant> earliest = new LinkedHashMap<>();
        for (io.throughline.contracts.tracking.v1.SessionChange c : page.getSessionsList()) {
            if (c.hasStartedAt()) {
                earliest.merge(c.getTenantId(), ProtoTimes.instant(c.getStartedAt()), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        return new SessionPage(earliest, page.getSessionsCount(), page.getNext());
    }
}
