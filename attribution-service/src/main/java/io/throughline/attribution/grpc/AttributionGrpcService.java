package io.throughline.attribution.grpc;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.Multi;
import io.throughline.attribution.store.CreditQueries;
import io.throughline.attribution.store.ReportingFeeds;
import io.throughline.commons.grpc.StreamedAnswers;
import io.throughline.contracts.attribution.v1.CreditTotal;
import io.throughline.contracts.attribution.v1.CreditTotalsChunk;
import io.throughline.contracts.attribution.v1.CreditTotalsHeader;
import io.throughline.contracts.attribution.v1.DealChange;
import io.throughline.contracts.attribution.v1.DealPayment;
import io.throughline.contracts.attribution.v1.DealStageEntry;
import io.throughline.contracts.attribution.v1.ListDealChangesRequest;
import io.throughline.contracts.attribution.v1.ListDealChangesResponse;
import io.throughline.contracts.attribution.v1.ListSeriesRequest;
import io.throughline.contracts.attribution.v1.ListSeriesResponse;
import io.throughline.contracts.attribution.v1.RunDeal;
import io.throughline.contracts.attribution.v1.RunDealsChunk;
import io.throughline.contracts.attribution.v1.SeriesVersion;
import io.throughline.contracts.attribution.v1.StreamCreditTotalsRequest;
import io.throughline.contracts.attribution.v1.StreamRunDealsRequest;
import io.throughline.contracts.common.v1.Campaign;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import io.throughline.attribution.store.Runs;
import io.throughline.attribution.store.SettingsStore;
import io.throughline.commons.grpc.ProtoTimes;
import io.throughline.commons.id.Ids;
import io.throughline.contracts.attribution.v1.AttributionService;
import io.throughline.contracts.attribution.v1.CreditRow;
import io.throughline.contracts.attribution.v1.FunnelRow;
import io.throughline.contracts.attribution.v1.GroupKey;
import io.throughline.contracts.attribution.v1.QueryCreditsRequest;
import io.throughline.contracts.attribution.v1.QueryCreditsResponse;
import io.throughline.contracts.attribution.v1.QueryFunnelRequest;
import io.throughline.contracts.attribution.v1.QueryFunnelResponse;
import io.throughline.contracts.common.v1.Money;
import jakarta.annotation.security.RolesAllowed;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * attribution.v1 for reporting-service: credits of a finished run (or the workspace's default series' newest version)
 * and the deal funnel, grouped by channel, source, medium, campaign, keyword and click-id presence. A run of another
 * workspace is not found.
 */
@GrpcService
@RolesAllowed("service")
public class AttributionGrpcService implements AttributionService {

    /** Rows per streamed message, and deals per change page at most. */
    static final int CHUNK = 1000;
    static final int MAX_DEALS = 1000;

    private final Runs runs;
    private final CreditQueries queries;
    private final SettingsStore settings;
    private final ReportingFeeds feeds;

    public AttributionGrpcService(Runs runs, CreditQueries queries, SettingsStore settings, ReportingFeeds feeds) {
        this.runs = runs;
        this.queries = queries;
        this.settings = settings;
        this.feeds = feeds;
    }

    @Override
    @Blocking
    public Uni<ListSeriesResponse> listSeries(ListSeriesRequest request) {
        ListSeriesResponse.Builder out = ListSeriesResponse.newBuilder();
        Map<String, String> defaults = new HashMap<>();
        for (ReportingFeeds.SeriesVersion v : feeds.series(request.getTenantId().isBlank() ? null : request.getTenantId())) {
            String defaultSeries = defaults.computeIfAbsent(v.tenantId(), t -> settings.get(t).defaultSeries());
            out.addSeries(SeriesVersion.newBuilder().setTenantId(v.tenantId()).setSeries(v.series()).setModel(v.model()).setVersion(v.version())
                    .setRunId(v.runId().toString()).setIsDefault(v.series().equals(defaultSeries)).setCutoff(ProtoTimes.timestamp(v.cutoff()))
                    .setConversionEvent(v.conversionEvent()).setFull(v.full()));
        }
        return Uni.createFrom().item(out.build());
    }

    @Override
    public Multi<CreditTotalsChunk> streamCreditTotals(StreamCreditTotalsRequest request) {
        String tenant = tenant(request.getTenantId());
        String zone = zone(request.getTimeZone());
        return StreamedAnswers.of(sink -> {
            ReportingFeeds.SeriesVersion v = newest(tenant, request.getSeries());
            int after = request.getAfterVersion();
            boolean changed = after != v.version();
            boolean full = changed && (after <= 0 || after > v.version() || v.full());
            sink.emit(CreditTotalsChunk.newBuilder().setHeader(CreditTotalsHeader.newBuilder().setRunId(v.runId().toString()).setVersion(v.version())
                    .setSeries(v.series()).setModel(v.model()).setFull(full).setConversionEvent(v.conversionEvent())
                    .setCutoff(ProtoTimes.timestamp(v.cutoff()))).build());
            if (!changed) {
                return;
            }
            CreditTotalsChunk.Builder[] chunk = {CreditTotalsChunk.newBuilder()};
            feeds.totals(v, after, full, zone, t -> {
                chunk[0].addTotals(CreditTotal.newBuilder().setDay(t.day()).setChannel(t.channel())
                        .setCampaign(Campaign.newBuilder().setSource(t.source()).setMedium(t.medium()).setCampaign(t.campaign()).setTerm(t.keyword()))
                        .setCurrency(t.currency()).setConversions(t.conversions()).setRevenueMinor(t.revenueMinor().toPlainString())
                        .setGrossProfitMinor(t.grossProfitMinor().toPlainString()).setPaidDeals(t.paidDeals()).setNewCustomers(t.newCustomers()));
                if (chunk[0].getTotalsCount() == CHUNK) {
                    sink.emit(chunk[0].build());
                    chunk[0] = CreditTotalsChunk.newBuilder();
                }
            });
            if (chunk[0].getTotalsCount() > 0) {
                sink.emit(chunk[0].build());
            }
        });
    }

    @Override
    public Multi<RunDealsChunk> streamRunDeals(StreamRunDealsRequest request) {
        String tenant = tenant(request.getTenantId());
        return StreamedAnswers.of(sink -> {
            ReportingFeeds.SeriesVersion v = newest(tenant, request.getSeries());
            int after = request.getAfterVersion();
            boolean changed = after != v.version();
            boolean full = changed && (after <= 0 || after > v.version() || v.full());
            RunDealsChunk.Builder[] chunk = {RunDealsChunk.newBuilder().setVersion(v.version()).setRunId(v.runId().toString()).setFull(full)};
            if (changed) {
                feeds.journeys(v, after, full, j -> {
                    RunDeal.Builder d = RunDeal.newBuilder().setDealId(j.dealId().toString()).setPersonKey(j.personKey()).setTouches(j.touches())
                            .setLeadChannel(j.channel()).setLeadCampaign(Campaign.newBuilder().setSource(j.source()).setMedium(j.medium())
                                    .setCampaign(j.campaign()).setTerm(j.keyword())).setLeadHasClickId(j.hasClickId()).setNewCustomer(j.newCustomer());
                    if (j.conversionAt() != null) {
                        d.setConversionAt(ProtoTimes.timestamp(j.conversionAt()));
                    }
                    chunk[0].addDeals(d);
                    if (chunk[0].getDealsCount() == CHUNK) {
                        sink.emit(chunk[0].build());
                        chunk[0] = RunDealsChunk.newBuilder().setVersion(v.version()).setRunId(v.runId().toString()).setFull(full);
                    }
                });
            }
            sink.emit(chunk[0].build());
        });
    }

    @Override
    @Blocking
    public Uni<ListDealChangesResponse> listDealChanges(ListDealChangesRequest request) {
        Instant after = Instant.EPOCH;
        UUID afterId = new UUID(0, 0);
        if (!request.getAfter().isBlank()) {
            try {
                String[] parts = request.getAfter().split("\\|", 2);
                after = Instant.parse(parts[0]);
                afterId = UUID.fromString(parts[1]);
            } catch (RuntimeException e) {
                throw Status.INVALID_ARGUMENT.withDescription("after is not a cursor this call returned").asRuntimeException();
            }
        }
        int limit = request.getLimit() <= 0 ? MAX_DEALS : Math.min(request.getLimit(), MAX_DEALS);
        ListDealChangesResponse.Builder out = ListDealChangesResponse.newBuilder().setNext(request.getAfter());
        for (ReportingFeeds.DealChange d : feeds.dealChanges(after, afterId, limit)) {
            DealChange.Builder b = DealChange.newBuilder().setTenantId(d.tenantId()).setDealId(d.id().toString()).setCrm(d.crm())
                    .setCreatedAt(ProtoTimes.timestamp(d.createdAt())).setChangedAt(ProtoTimes.timestamp(d.feedAt())).setStatus(d.status())
                    .setFurthestStage(d.furthestStage()).setLossReason(text(d.lossReason())).setManager(text(d.manager()))
                    .setProductLine(text(d.productLine())).setCurrency(d.currency()).setAmountMinor(d.amountMinor()).setGrossRatio(d.grossRatio())
                    .setPersonId(text(d.personId())).setVerdict(text(d.verdict()));
            d.stages().forEach(s -> b.addStages(DealStageEntry.newBuilder().setStage(s.stage()).setCanonicalStage(text(s.canonical()))
                    .setEnteredAt(ProtoTimes.timestamp(s.enteredAt()))));
            d.payments().forEach(p -> b.addPayments(DealPayment.newBuilder().setPaymentId(p.id()).setAmountMinor(p.amountMinor())
                    .setPaidAt(ProtoTimes.timestamp(p.paidAt()))));
            out.addDeals(b);
            out.setNext(d.feedAt() + "|" + d.id());
        }
        return Uni.createFrom().item(out.build());
    }

    private ReportingFeeds.SeriesVersion newest(String tenant, String series) {
        if (series.isBlank()) {
            throw Status.INVALID_ARGUMENT.withDescription("series is required").asRuntimeException();
        }
        return feeds.series(tenant).stream().filter(v -> v.series().equals(series)).findFirst()
                .orElseThrow(() -> Status.NOT_FOUND.withDescription("no finished version of " + series).asRuntimeException());
    }

    private static String zone(String zone) {
        try {
            return ZoneId.of(zone.isBlank() ? "Europe/Moscow" : zone).getId();
        } catch (java.time.DateTimeException e) {
            throw Status.INVALID_ARGUMENT.withDescription("time_zone is not an IANA zone").asRuntimeException();
        }
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    @Override
    @Blocking
    public Uni<QueryCreditsResponse> queryCredits(QueryCreditsRequest request) {
        String tenant = tenant(request.getTenantId());
        Runs.Run run;
        if (request.getRunId().isBlank()) {
            run = defaultRun(tenant);
            if (run == null) {
                throw Status.FAILED_PRECONDITION.withDescription("no finished run of the default model yet").asRuntimeException();
            }
        } else {
            UUID id = Ids.parse(request.getRunId()).orElseThrow(() -> Status.INVALID_ARGUMENT.withDescription("run_id is not a UUID")
                    .asRuntimeException());
            run = runs.find(tenant, id).orElseThrow(() -> Status.NOT_FOUND.withDescription("no such run").asRuntimeException());
            if (!"done".equals(run.status())) {
                throw Status.FAILED_PRECONDITION.withDescription("the run is " + run.status()).asRuntimeException();
            }
        }
        QueryCreditsResponse.Builder out = QueryCreditsResponse.newBuilder().setRunId(run.id().toString()).setModel(run.series());
        for (CreditQueries.CreditRow r : queries.credits(run, keys(request.getGroupByList()), ProtoTimes.from(request.getRange()), ProtoTimes.to(request.getRange()))) {
            out.addRows(CreditRow.newBuilder().putAllKeys(r.keys()).setConversions(r.conversions())
                    .setRevenue(Money.newBuilder().setAmountMinor(r.revenueMinor()).setCurrency(r.currency()))
                    .setGrossProfit(Money.newBuilder().setAmountMinor(r.grossProfitMinor()).setCurrency(r.currency())));
        }
        return Uni.createFrom().item(out.build());
    }

    @Override
    @Blocking
    public Uni<QueryFunnelResponse> queryFunnel(QueryFunnelRequest request) {
        String tenant = tenant(request.getTenantId());
        Runs.Run run = defaultRun(tenant);
        QueryFunnelResponse.Builder out = QueryFunnelResponse.newBuilder();
        for (CreditQueries.FunnelRow r : queries.funnel(tenant, run, keys(request.getGroupByList()),
                ProtoTimes.from(request.getRange()), ProtoTimes.to(request.getRange()))) {
            out.addRows(FunnelRow.newBuilder().putAllKeys(r.keys()).setStage(r.stage()).setLossReason(r.lossReason()).setDeals(r.deals()));
        }
        return Uni.createFrom().item(out.build());
    }

    private Runs.Run defaultRun(String tenant) {
        return runs.latestDone(tenant, settings.get(tenant).defaultSeries()).orElse(null);
    }

    private static String tenant(String tenantId) {
        if (tenantId == null || tenantId.isBlank()) {
            throw Status.INVALID_ARGUMENT.withDescription("tenant_id is required").asRuntimeException();
        }
        return tenantId;
    }

    private static List<String> keys(List<GroupKey> groupBy) {
        List<String> keys = new ArrayList<>();
        for (GroupKey k : groupBy) {
            if (k == GroupKey.GROUP_KEY_UNSPECIFIED || k == GroupKey.UNRECOGNIZED) {
                throw Status.INVALID_ARGUMENT.withDescription("group_by holds an unknown key").asRuntimeException();
            }
            String key = k.name().substring("GROUP_KEY_".length()).toLowerCase(Locale.ROOT);
            if (!keys.contains(key)) {
                keys.add(key);
            }
        }
        return keys;
    }
}
