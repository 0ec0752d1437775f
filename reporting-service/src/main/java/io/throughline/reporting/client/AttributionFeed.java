package io.throughline.reporting.client;

import io.quarkus.grpc.GrpcClient;
import io.throughline.commons.grpc.ProtoTimes;
import io.throughline.commons.grpc.ServiceCalls;
import io.throughline.contracts.attribution.v1.CreditTotalsChunk;
import io.throughline.contracts.attribution.v1.ListDealChangesRequest;
import io.throughline.contracts.attribution.v1.ListDealChangesResponse;
import io.throughline.contracts.attribution.v1.ListSeriesRequest;
import io.throughline.contracts.attribution.v1.MutinyAttributionServiceGrpc.MutinyAttributionServiceStub;
import io.throughline.contracts.attribution.v1.RunDeal;
import io.throughline.contracts.attribution.v1.RunDealsChunk;
import io.throughline.contracts.attribution.v1.SeriesVersion;
import io.throughline.contracts.attribution.v1.StreamCreditTotalsRequest;
import io.throughline.contracts.attribution.v1.StreamRunDealsRequest;
import io.throughline.contracts.common.v1.Campaign;
import io.throughline.reporting.domain.facts.CreditTotal;
import io.throughline.reporting.domain.facts.DealChange;
import io.throughline.reporting.domain.facts.DealFact;
import io.throughline.reporting.domain.facts.Keys;
import io.throughline.reporting.store.FeedStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * attribution-service's feeds as reporting reads them, over gRPC with this service's token: the newest version of
 * every series, a version's credit totals (streamed), the default series' journeys (streamed) and deals in the order
 * they changed. Bounded by deadlines; the sync's next round is the retry.
 */
@ApplicationScoped
public class AttributionFeed {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final MutinyAttributionServiceStub attribution;
    private final ServiceCalls calls;

    public AttributionFeed(@GrpcClient("attribution") MutinyAttributionServiceStub attribution, ServiceCalls calls) {
        this.attribution = attribution;
        this.calls = calls;
    }

    public List<FeedStore.SeriesVersion> series() {
        List<FeedStore.SeriesVersion> out = new ArrayList<>();
        for (SeriesVersion v : calls.call(attribution.withDeadlineAfter(20, TimeUnit.SECONDS), s -> s.listSeries(ListSeriesRequest.getDefaultInstance()))
                .await().atMost(WAIT).getSeriesList()) {
            out.add(new FeedStore.SeriesVersion(v.getTenantId(), v.getSeries(), v.getModel(), v.getVersion(), UUID.fromString(v.getRunId()),
                    v.getIsDefault(), ProtoTimes.instant(v.getCutoff()), v.getConversionEvent()));
        }
        return out;
    }

    /** A version's totals: the header's version and whether they replace what is held, then the rows as they stream. */
    public record Totals(int version, boolean full, Iterator<CreditTotal> rows) {
    }

    public Totals totals(String tenantId, String series, int afterVersion, String zone) {
        Iterator<CreditTotalsChunk> chunks = calls.stream(attribution.withDeadlineAfter(30, TimeUnit.MINUTES), s -> s.streamCreditTotals(
                StreamCreditTotalsRequest.newBuilder().setTenantId(tenantId).setSeries(series).setAfterVersion(afterVersion).setTimeZone(zone).build()))
                .subscribe().asIterable().iterator();
        CreditTotalsChunk first = chunks.next();
        return new Totals(first.getHeader().getVersion(), first.getHeader().getFull(), new Iterator<>() {
            private Iterator<io.throughline.contracts.attribution.v1.CreditTotal> current = first.getTotalsList().iterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && chunks.hasNext()) {
                    current = chunks.next().getTotalsList().iterator();
                }
                return current.hasNext();
            }

            @Override
            public CreditTotal next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                io.throughline.contracts.attribution.v1.CreditTotal t = current.next();
                return new CreditTotal(LocalDate.parse(t.getDay()), keys(t.getChannel(), t.getCampaign()), t.getCurrency(), t.getConversions(),
                        new BigDecimal(t.getRevenueMinor()), new BigDecimal(t.getGrossProfitMinor()), t.getPaidDeals(), t.getNewCustomers());
            }
        });
    }

    /** One chunk of journeys: the version they are of, whether they replace everything, deal id -> journey. */
    public record Journeys(int version, boolean full, Map<String, DealFact.Journey> journeys) {
    }

    public void journeys(String tenantId, String series, int afterVersion, Consumer<Journeys> sink) {
        for (RunDealsChunk chunk : calls.stream(attribution.withDeadlineAfter(30, TimeUnit.MINUTES), s -> s.streamRunDeals(StreamRunDealsRequest
                .newBuilder().setTenantId(tenantId).setSeries(series).setAfterVersion(afterVersion).build())).subscribe().asIterable()) {
            Map<String, DealFact.Journey> out = new LinkedHashMap<>();
            for (RunDeal d : chunk.getDealsList()) {
                out.put(d.getDealId(), new DealFact.Journey(d.getPersonKey(), d.getTouches(), keys(d.getLeadChannel(), d.getLeadCampaign())));
            }
            sink.accept(new Journeys(chunk.getVersion(), chunk.getFull(), out));
        }
    }

    /** A page of changed deals (by workspace) and the cursor after it. */
    public record DealPage(Map<String, List<DealChange>> byTenant, int size, String next) {
    }

    public DealPage dealChanges(String after, int limit) {
        ListDealChangesResponse page = calls.call(attribution.withDeadlineAfter(20, TimeUnit.SECONDS), s -> s.listDealChanges(ListDealChangesRequest
                .newBuilder().setAfter(after).setLimit(limit).build())).await().atMost(WAIT);
        Map<String, List<DealChange>> byTenant = new LinkedHashMap<>();
        for (io.throughline.contracts.attribution.v1.DealChange d : page.getDealsList()) {
            DealFact fact = new DealFact(d.getDealId(), ProtoTimes.instant(d.getCreatedAt()), d.getStatus(), d.getFurthestStage(), d.getLossReason(),
                    d.getManager(), d.getCurrency(), d.getAmountMinor(), d.getGrossRatio(), d.getPersonId(), "returning_customer".equals(d.getVerdict()),
                    d.getStagesList().stream().map(st -> new DealFact.Stage(st.getCanonicalStage(), ProtoTimes.instant(st.getEnteredAt()))).toList(),
                    d.getPaymentsList().stream().map(p -> new DealFact.Payment(p.getPaymentId(), ProtoTimes.instant(p.getPaidAt()), p.getAmountMinor()))
                            .toList(), null);
            byTenant.computeIfAbsent(d.getTenantId(), t -> new ArrayList<>()).add(new DealChange(fact, ProtoTimes.instant(d.getChangedAt()), d.getCrm()));
        }
        return new DealPage(byTenant, page.getDealsCount(), page.getNext());
    }

    static Keys keys(String channel, Campaign c) {
        return new Keys(channel, c.getSource(), c.getMedium(), c.getCampaign(), c.getTerm());
    }
}
