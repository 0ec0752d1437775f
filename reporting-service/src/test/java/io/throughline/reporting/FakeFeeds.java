package io.throughline.reporting;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.throughline.contracts.attribution.v1.CreditTotal;
import io.throughline.contracts.attribution.v1.CreditTotalsChunk;
import io.throughline.contracts.attribution.v1.CreditTotalsHeader;
import io.throughline.contracts.attribution.v1.DealChange;
import io.throughline.contracts.attribution.v1.ListDealChangesRequest;
import io.throughline.contracts.attribution.v1.ListDealChangesResponse;
import io.throughline.contracts.attribution.v1.ListSeriesRequest;
import io.throughline.contracts.attribution.v1.ListSeriesResponse;
import io.throughline.contracts.attribution.v1.RunDeal;
import io.throughline.contracts.attribution.v1.RunDealsChunk;
import io.throughline.contracts.attribution.v1.SeriesVersion;
import io.throughline.contracts.attribution.v1.StreamCreditTotalsRequest;
import io.throughline.contracts.attribution.v1.StreamRunDealsRequest;
import io.throughline.contracts.calltracking.v1.CallRecord;
import io.throughline.contracts.calltracking.v1.ListCallChangesRequest;
import io.throughline.contracts.calltracking.v1.ListCallChangesResponse;
import io.throughline.contracts.tracking.v1.Contact;
import io.throughline.contracts.tracking.v1.ListContactChangesRequest;
import io.throughline.contracts.tracking.v1.ListContactChangesResponse;
import io.throughline.contracts.tracking.v1.StreamTrafficRequest;
import io.throughline.contracts.tracking.v1.TrafficChunk;
import io.throughline.contracts.tracking.v1.TrafficRow;
import jakarta.annotation.security.RolesAllowed;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * attribution.v1, tracking.v1 and calltracking.v1 mocked at the gRPC boundary with what tests put in: series versions
 * with their credit totals and journeys (always answered in full), and change logs of deals, contacts and calls read
 * after a cursor (the index of the last record read), traffic rows by workspace and day.
 */
public final class FakeFeeds {

    /** tenant|series -> the newest version's header data, totals and journeys. */
    public record Series(SeriesVersion version, List<CreditTotal> totals, List<RunDeal> journeys) {
    }

    public static final Map<String, Series> SERIES = new ConcurrentHashMap<>();
    public static final List<DealChange> DEALS = new CopyOnWriteArrayList<>();
    public static final List<Contact> CONTACTS = new CopyOnWriteArrayList<>();
    public static final List<CallRecord> CALLS = new CopyOnWriteArrayList<>();
    public static final List<TrafficRow> TRAFFIC = new CopyOnWriteArrayList<>();
    public static final List<io.throughline.contracts.tracking.v1.SessionChange> SESSION_CHANGES = new CopyOnWriteArrayList<>();

    private FakeFeeds() {
    }

    static int after(String cursor) {
        return cursor == null || cursor.isBlank() ? 0 : Integer.parseInt(cursor);
    }

    static <T> List<T> page(List<T> log, String cursor, int limit) {
        int from = after(cursor);
        return new ArrayList<>(log.subList(Math.min(from, log.size()), Math.min(log.size(), from + (limit <= 0 ? 1000 : limit))));
    }

    @GrpcService
    @RolesAllowed("service")
    public static class Attribution extends io.throughline.contracts.attribution.v1.MutinyAttributionServiceGrpc.AttributionServiceImplBase {
        @Override
        public Uni<ListSeriesResponse> listSeries(ListSeriesRequest request) {
            return Uni.createFrom().item(ListSeriesResponse.newBuilder().addAllSeries(SERIES.values().stream().map(Series::version).toList()).build());
        }

        @Override
        public Multi<CreditTotalsChunk> streamCreditTotals(StreamCreditTotalsRequest request) {
            Series s = SERIES.get(request.getTenantId() + "|" + request.getSeries());
            if (s == null) {
                return Multi.createFrom().failure(Status.NOT_FOUND.asRuntimeException());
            }
            boolean changed = request.getAfterVersion() != s.version().getVersion();
            CreditTotalsHeader header = CreditTotalsHeader.newBuilder().setVersion(s.version().getVersion()).setSeries(s.version().getSeries())
                    .setModel(s.version().getModel()).setRunId(s.version().getRunId()).setFull(changed).build();
            List<CreditTotalsChunk> out = new ArrayList<>();
            out.add(CreditTotalsChunk.newBuilder().setHeader(header).build());
            if (changed) {
                out.add(CreditTotalsChunk.newBuilder().addAllTotals(s.totals()).build());
            }
            return Multi.createFrom().iterable(out);
        }

        @Override
        public Multi<RunDealsChunk> streamRunDeals(StreamRunDealsRequest request) {
            Series s = SERIES.get(request.getTenantId() + "|" + request.getSeries());
            if (s == null) {
                return Multi.createFrom().failure(Status.NOT_FOUND.asRuntimeException());
            }
            return Multi.createFrom().item(RunDealsChunk.newBuilder().setVersion(s.version().getVersion()).setFull(true).addAllDeals(s.journeys()).build());
        }

        @Override
        public Uni<ListDealChangesResponse> listDealChanges(ListDealChangesRequest request) {
            List<DealChange> page = page(DEALS, request.getAfter(), request.getLimit());
            return Uni.createFrom().item(ListDealChangesResponse.newBuilder().addAllDeals(page)
                    .setNext(String.valueOf(after(request.getAfter()) + page.size())).build());
        }

    }

    @GrpcService
    @RolesAllowed("service")
    public static class Tracking extends io.throughline.contracts.tracking.v1.MutinyTrackingServiceGrpc.TrackingServiceImplBase {
        @Override
        public Multi<TrafficChunk> streamTraffic(StreamTrafficRequest request) {
            List<TrafficRow> rows = TRAFFIC.stream().filter(r -> request.getTenantId().isBlank() || r.getTenantId().equals(request.getTenantId())).toList();
            return Multi.createFrom().item(TrafficChunk.newBuilder().addAllRows(rows).build());
        }

        @Override
        public Uni<ListContactChangesResponse> listContactChanges(ListContactChangesRequest request) {
            List<Contact> page = page(CONTACTS, request.getAfter(), request.getLimit());
            return Uni.createFrom().item(ListContactChangesResponse.newBuilder().addAllContacts(page)
                    .setNext(String.valueOf(after(request.getAfter()) + page.size())).build());
        }

        @Override
        public Uni<io.throughline.contracts.tracking.v1.ListSessionChangesResponse> listSessionChanges(
                io.throughline.contracts.tracking.v1.ListSessionChangesRequest request) {
            var page = page(SESSION_CHANGES, request.getAfter(), request.getLimit());
            return Uni.createFrom().item(io.throughline.contracts.tracking.v1.ListSessionChangesResponse.newBuilder().addAllSessions(page)
                    .setNext(String.valueOf(after(request.getAfter()) + page.size())).build());
        }

    }

    @GrpcService
    @RolesAllowed("service")
    public static class Calls extends io.throughline.contracts.calltracking.v1.MutinyCallTrackingServiceGrpc.CallTrackingServiceImplBase {
        @Override
        public Uni<ListCallChangesResponse> listCallChanges(ListCallChangesRequest request) {
            List<CallRecord> page = page(CALLS, request.getAfter(), request.getLimit());
            return Uni.createFrom().item(ListCallChangesResponse.newBuilder().addAllCalls(page)
                    .setNext(String.valueOf(after(request.getAfter()) + page.size())).build());
        }

    }
}
