package io.throughline.tracking.grpc;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.throughline.commons.grpc.ProtoTimes;
import io.throughline.contracts.tracking.v1.GetSessionRequest;
import io.throughline.contracts.tracking.v1.GetSessionResponse;
import io.throughline.contracts.tracking.v1.GetSiteRequest;
import io.throughline.contracts.tracking.v1.GetSiteResponse;
import io.throughline.contracts.tracking.v1.ListTouchpointsRequest;
import io.throughline.contracts.tracking.v1.ListTouchpointsResponse;
import io.throughline.contracts.tracking.v1.TrackingService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.throughline.contracts.common.v1.Campaign;
import io.throughline.contracts.tracking.v1.ListContactChangesRequest;
import io.throughline.contracts.tracking.v1.ListContactChangesResponse;
import io.throughline.contracts.tracking.v1.StreamTrafficRequest;
import io.throughline.contracts.tracking.v1.TrafficChunk;
import io.throughline.contracts.tracking.v1.TrafficRow;
import io.throughline.tracking.store.ChangeCursor;
import io.throughline.tracking.store.ContactStore;
import io.throughline.tracking.store.SessionStore;
import io.throughline.tracking.store.TrafficQueries;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import io.throughline.tracking.store.SiteStore;
import jakarta.annotation.security.RolesAllowed;
import java.time.Instant;

/** tracking.v1 for other services; every call must carry a service-account token. */
@GrpcService
@RolesAllowed("service")
public class TrackingGrpcService implements TrackingService {

    /** Batches stay bounded: attribution asks for one journey's person at a time, with all their visitor ids. */
    static final int MAX_VISITORS_PER_CALL = 1000;

    /** Rows per streamed traffic message, and contacts per change page at most. */
    static final int CHUNK = 500;
    static final int MAX_CONTACTS = 1000;

    private final SiteStore sites;
    private final io.throughline.tracking.store.SiteDirectory directory;
    private final SessionStore sessions;
    private final TrafficQueries traffic;
    private final ContactStore contacts;

    public TrackingGrpcService(SiteStore sites, io.throughline.tracking.store.SiteDirectory directory, SessionStore sessions, TrafficQueries traffic,
            ContactStore contacts) {
        this.directory = directory;
        this.sites = sites;
        this.sessions = sessions;
        this.traffic = traffic;
        this.contacts = contacts;
    }

    @Override
    public Multi<TrafficChunk> streamTraffic(StreamTrafficRequest request) {
        ZoneId fallback = zone(request.getDefaultTimeZone().isBlank() ? "Europe/Moscow" : request.getDefaultTimeZone());
        Map<String, ZoneId> zones = new HashMap<>();
        request.getTimeZonesMap().forEach((tenant, zone) -> zones.put(tenant, zone(zone)));
        return Multi.createFrom().<TrafficChunk>emitter(emitter -> {
            Map<String, String> keys = sites.publicKeys();
            TrafficChunk.Builder chunk = TrafficChunk.newBuilder();
            for (TrafficQueries.Row r : traffic.traffic(request.getTenantId(), ProtoTimes.from(request.getRange()), ProtoTimes.to(request.getRange()),
                    zones, fallback)) {
                chunk.addRows(TrafficRow.newBuilder().setTenantId(r.tenantId()).setDay(r.day().toString()).setSiteId(r.siteId())
                        .setSiteKey(keys.getOrDefault(r.siteId(), "")).setChannel(r.channel())
                        .setCampaign(Campaign.newBuilder().setSource(r.source()).setMedium(r.medium()).setCampaign(r.campaign()).setTerm(r.term()))
                        .setSessions(r.sessions()).setBotSessions(r.botSessions()));
                if (chunk.getRowsCount() == CHUNK) {
                    emitter.emit(chunk.build());
                    chunk = TrafficChunk.newBuilder();
                }
            }
            if (chunk.getRowsCount() > 0) {
                emitter.emit(chunk.build());
            }
            emitter.complete();
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    @Override
    @Blocking
    public Uni<ListContactChangesResponse> listContactChanges(ListContactChangesRequest request) {
        ChangeCursor after;
        try {
            after = ChangeCursor.decode(request.getAfter());
        } catch (IllegalArgumentException e) {
            throw Status.INVALID_ARGUMENT.withDescription("after is not a cursor this call returned").asRuntimeException();
        }
        int limit = request.getLimit() <= 0 ? MAX_CONTACTS : Math.min(request.getLimit(), MAX_CONTACTS);
        Map<String, String> keys = sites.publicKeys();
        ListContactChangesResponse.Builder out = ListContactChangesResponse.newBuilder();
        ChangeCursor next = after;
        for (ContactStore.Change change : contacts.changes(after, limit)) {
            out.addContacts(TouchpointMapper.contact(change.contact(), change.session(), keys));
            next = new ChangeCursor(change.contact().getDate("changed_at").getTime(), change.contact().getString("_id"));
        }
        return Uni.createFrom().item(out.setNext(next.encode()).build());
    }

    static final int MAX_SESSION_CHANGES = 5000;

    @Override
    @Blocking
    public Uni<io.throughline.contracts.tracking.v1.ListSessionChangesResponse> listSessionChanges(
            io.throughline.contracts.tracking.v1.ListSessionChangesRequest request) {
        ChangeCursor after;
        try {
            after = ChangeCursor.decode(request.getAfter());
        } catch (IllegalArgumentException e) {
            throw Status.INVALID_ARGUMENT.withDescription("after is not a cursor this call returned").asRuntimeException();
        }
        int limit = request.getLimit() <= 0 ? MAX_SESSION_CHANGES : Math.min(request.getLimit(), MAX_SESSION_CHANGES);
        var out = io.throughline.contracts.tracking.v1.ListSessionChangesResponse.newBuilder();
        ChangeCursor next = after;
        for (org.bson.Document s : sessions.changes(after, limit)) {
            var change = io.throughline.contracts.tracking.v1.SessionChange.newBuilder().setTenantId(s.getString("tenant_id"))
                    .setSessionId(s.getString("_id")).setVisitorId(s.getString("visitor_id") == null ? "" : s.getString("visitor_id"));
            if (s.getDate("started_at") != null) {
                change.setStartedAt(io.throughline.commons.grpc.ProtoTimes.timestamp(s.getDate("started_at").toInstant()));
            }
            out.addSessions(change);
            next = new ChangeCursor(s.getDate("changed_at").getTime(), s.getString("_id"));
        }
        return Uni.createFrom().item(out.setNext(next.encode()).build());
    }

    private static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (java.time.DateTimeException e) {
            throw Status.INVALID_ARGUMENT.withDescription("not an IANA time zone: " + id).asRuntimeException();
        }
    }

    @Override
    @Blocking
    public Uni<ListTouchpointsResponse> listTouchpoints(ListTouchpointsRequest request) {
        requireTenant(request.getTenantId());
        if (request.getVisitorIdsCount() > MAX_VISITORS_PER_CALL) {
            throw Status.INVALID_ARGUMENT.withDescription("at most " + MAX_VISITORS_PER_CALL + " visitor ids per call").asRuntimeException();
        }
        if (request.getVisitorIdsCount() == 0) {
            return Uni.createFrom().item(ListTouchpointsResponse.getDefaultInstance());
        }
        Instant from = ProtoTimes.from(request.getRange());
        Instant to = ProtoTimes.to(request.getRange());
        ListTouchpointsResponse.Builder response = ListTouchpointsResponse.newBuilder();
        sessions.forEachByVisitors(request.getTenantId(), request.getVisitorIdsList(), from, to, request.getIncludeExcluded(),
                pageToken(request.getPageToken()), s -> response.addTouchpoints(TouchpointMapper.touchpoint(s)).setNextPageToken(position(s)));
        return Uni.createFrom().item(response.build());
    }

    @Override
    public Multi<ListTouchpointsResponse> streamTouchpoints(ListTouchpointsRequest request) {
        requireTenant(request.getTenantId());
        if (request.getVisitorIdsCount() > MAX_VISITORS_PER_CALL) {
            throw Status.INVALID_ARGUMENT.withDescription("at most " + MAX_VISITORS_PER_CALL + " visitor ids per call").asRuntimeException();
        }
        ChangeCursor after = pageToken(request.getPageToken());
        return Multi.createFrom().<ListTouchpointsResponse>emitter(emitter -> {
            if (request.getVisitorIdsCount() > 0) {
                ListTouchpointsResponse.Builder[] chunk = {ListTouchpointsResponse.newBuilder()};
                sessions.forEachByVisitors(request.getTenantId(), request.getVisitorIdsList(), ProtoTimes.from(request.getRange()),
                        ProtoTimes.to(request.getRange()), request.getIncludeExcluded(), after, s -> {
                            chunk[0].addTouchpoints(TouchpointMapper.touchpoint(s)).setNextPageToken(position(s));
                            if (chunk[0].getTouchpointsCount() == CHUNK) {
                                emitter.emit(chunk[0].build());
                                chunk[0] = ListTouchpointsResponse.newBuilder();
                            }
                        });
                if (chunk[0].getTouchpointsCount() > 0) {
                    emitter.emit(chunk[0].build());
                }
            }
            emitter.complete();
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    @Override
    @Blocking
    public Uni<GetSessionResponse> getSession(GetSessionRequest request) {
        requireTenant(request.getTenantId());
        GetSessionResponse response = sessions.find(request.getTenantId(), request.getSessionId())
                .map(s -> GetSessionResponse.newBuilder().setFound(true).setSession(TouchpointMapper.touchpoint(s)).build())
                .orElse(GetSessionResponse.newBuilder().setFound(false).build());
        return Uni.createFrom().item(response);
    }

    @Override
    @Blocking
    public Uni<GetSiteResponse> getSite(GetSiteRequest request) {
        // The collector's directory: known sites are answered from memory, and keep being answered while the store is down
        // (DNI asks on its path; a lookup waiting out the store's 2-second server selection would hold a page's number).
        return Uni.createFrom().completionStage(() -> directory.byPublicKey(request.getPublicKey()))
                .map(site -> site.map(s -> GetSiteResponse.newBuilder().setFound(true).setSite(TouchpointMapper.site(s)).build())
                        .orElse(GetSiteResponse.newBuilder().setFound(false).build()))
                .onFailure(e -> !(e instanceof io.grpc.StatusRuntimeException))
                .transform(e -> io.grpc.Status.UNAVAILABLE.withDescription("the site store is unavailable").asRuntimeException());
    }

    /** A session's place in the order of a touchpoint answer, as a page token. */
    private static String position(org.bson.Document session) {
        java.util.Date at = session.getDate("started_at");
        return new ChangeCursor(at == null ? 0 : at.getTime(), session.getString("_id")).encode();
    }

    private static ChangeCursor pageToken(String token) {
        try {
            return ChangeCursor.decode(token);
        } catch (IllegalArgumentException e) {
            throw Status.INVALID_ARGUMENT.withDescription("page_token is not a token this call returned").asRuntimeException();
        }
    }

    private static void requireTenant(String tenantId) {
        if (tenantId == null || tenantId.isBlank()) {
            throw Status.INVALID_ARGUMENT.withDescription("tenant_id is required").asRuntimeException();
        }
    }
}
