package io.throughline.attribution.grpc;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.throughline.attribution.store.CreditQueries;
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

    private final Runs runs;
    private final CreditQueries queries;
    private final SettingsStore settings;

    public AttributionGrpcService(Runs runs, CreditQueries queries, SettingsStore settings) {
        this.runs = runs;
        this.queries = queries;
        this.settings = settings;
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
