package io.throughline.attribution.api;

import io.throughline.attribution.domain.journeys.AttributionSettings;
import io.throughline.attribution.domain.journeys.JourneySettings;
import io.throughline.attribution.domain.models.ModelSpec;
import io.throughline.attribution.processing.RunExecutor;
import io.throughline.attribution.store.CreditQueries;
import io.throughline.attribution.store.Runs;
import io.throughline.attribution.store.SettingsStore;
import io.throughline.commons.api.Page;
import io.throughline.commons.api.ProblemException;
import io.throughline.commons.id.Ids;
import io.throughline.commons.money.Money;
import io.throughline.commons.tenant.TenantContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Attribution runs: start one, follow its progress, read its credits by any keys, compare runs side by side. */
@Path("/api/attribution/runs")
@Tag(name = "Runs", description = "Attribution settings, versioned runs and their credits")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    @Schema(example = """
            {"model": "time_decay", "params": {"half_life_days": 14}, "conversion_event": "payment", "lookback_days": 60,
             "cutoff": "2026-11-24T00:00:00Z"}""")
    public record RunRequest(String model, ComputeRequest.Params params, String conversionEvent, Integer lookbackDays, Boolean resetAfterConversion,
            String cutoff) {
    }

    /** Credits of one group of keys in one currency; money in major units. */
    public record CreditView(Map<String, String> keys, String currency, double conversions, BigDecimal revenue, BigDecimal grossProfit) {
    }

    public record CreditsView(String runId, String series, Instant cutoff, List<CreditView> rows) {
    }

    /** One group of keys across the compared runs (in the order asked), and the change from the first to each other. */
    public record ComparisonRow(Map<String, String> keys, String currency, List<Double> conversions, List<BigDecimal> revenue,
            List<BigDecimal> revenueChange) {
    }

    public record ComparisonView(List<RunView> runs, List<ComparisonRow> rows) {
    }

    private final Runs runs;
    private final CreditQueries credits;
    private final SettingsStore settings;
    private final RunExecutor executor;
    private final TenantContext tenant;

    public RunResource(Runs runs, CreditQueries credits, SettingsStore settings, RunExecutor executor, TenantContext tenant) {
        this.runs = runs;
        this.credits = credits;
        this.settings = settings;
        this.executor = executor;
        this.tenant = tenant;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "Start a run of one model (journey settings default to the workspace's; cut-off defaults to now); follow its progress")
    @APIResponse(responseCode = "202", description = "Started: the run, status running")
    @APIResponse(responseCode = "400", description = "An invalid field (named in the problem)")
    public Response start(RunRequest request) {
        if (request == null) {
            throw ProblemException.invalidField("body", "must name a model");
        }
        ModelSpec spec = new ModelChoice(request.model(), request.params()).spec("");
        AttributionSettings s = settings.get(tenant.tenantId());
        String event = request.conversionEvent() == null ? s.journeys().conversionEvent() : request.conversionEvent();
        if (!JourneySettings.EVENTS.contains(event)) {
            throw ProblemException.invalidField("conversion_event", "must be one of " + String.join(", ", JourneySettings.EVENTS));
        }
        int lookback = request.lookbackDays() == null ? s.journeys().lookbackDays() : request.lookbackDays();
        if (lookback < 1 || lookback > 730) {
            throw ProblemException.invalidField("lookback_days", "must be between 1 and 730");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant cutoff = request.cutoff() == null ? now : time("cutoff", request.cutoff());
        if (cutoff.isAfter(now)) {
            throw ProblemException.invalidField("cutoff", "must not be in the future");
        }
        JourneySettings journeys = new JourneySettings(event, lookback, request.resetAfterConversion() == null ? s.journeys().resetAfterConversion()
                : request.resetAfterConversion());
        Runs.Run run;
        try {
            run = runs.create(tenant.tenantId(), spec, journeys, cutoff, "manual", null);
        } catch (Runs.SeriesBusy e) {
            throw ProblemException.conflict("A run of " + spec.series() + " is running; wait for it (versions of one model are made one at a time)");
        }
        executor.submit(run);
        return Response.accepted(RunView.of(run)).location(URI.create("/api/attribution/runs/" + run.id())).build();
    }

    @GET
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "The workspace's runs, newest first (optionally of one series, e.g. linear or markov(order=2))")
    public Page<RunView> list(@QueryParam("series") String series, @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        int size = Page.limit(limit);
        Page.TimeKey after = Page.afterTime(cursor);
        return Page.of(runs.page(tenant.tenantId(), series, after == null ? null : after.at(), after == null ? null : after.id(), size + 1), size,
                r -> Page.TimeKey.of(r.createdAt(), r.id()), RunView::of);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "One run: status, progress, totals and (data-driven models) removal effects, transition matrix or Shapley values")
    @APIResponse(responseCode = "404", description = "No such run in this workspace")
    public RunView get(@PathParam("id") String id) {
        return RunView.of(run(id));
    }

    @GET
    @Path("/{id}/credits")
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "A finished run's credits summed by keys (channel, source, medium, campaign, keyword, has_click_id) for events in [from, to)")
    @APIResponse(responseCode = "409", description = "The run is not finished")
    public CreditsView credits(@PathParam("id") String id, @QueryParam("group_by") String groupBy, @QueryParam("from") String from,
            @QueryParam("to") String to) {
        Runs.Run run = finished(run(id));
        return new CreditsView(run.id().toString(), run.series(), run.cutoff(), credits.credits(run, keys(groupBy), time("from", from),
                time("to", to)).stream().map(RunResource::view).toList());
    }

    @GET
    @Path("/compare")
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "Finished runs side by side (2 to 6, comma-separated ids) by the same keys")
    public ComparisonView compare(@QueryParam("runs") String ids, @QueryParam("group_by") String groupBy, @QueryParam("from") String from,
            @QueryParam("to") String to) {
        List<String> list = ids == null ? List.of() : Arrays.stream(ids.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (list.size() < 2 || list.size() > 6) {
            throw ProblemException.invalidField("runs", "must list 2 to 6 run ids, comma-separated");
        }
        List<String> keys = keys(groupBy);
        List<Runs.Run> compared = list.stream().map(this::run).map(RunResource::finished).toList();
        Map<List<String>, ComparisonRow> rows = new LinkedHashMap<>();
        for (int i = 0; i < compared.size(); i++) {
            for (CreditQueries.CreditRow r : credits.credits(compared.get(i), keys, time("from", from), time("to", to))) {
                List<String> key = new ArrayList<>(r.keys().values());
                key.add(r.currency());
                ComparisonRow row = rows.computeIfAbsent(key, k -> new ComparisonRow(r.keys(), r.currency(), zeros(compared.size(), 0.0),
                        zeros(compared.size(), BigDecimal.ZERO), new ArrayList<>()));
                row.conversions().set(i, r.conversions());
                row.revenue().set(i, major(r.revenueMinor(), r.currency()));
            }
        }
        List<ComparisonRow> out = new ArrayList<>();
        for (ComparisonRow row : rows.values()) {
            for (int i = 1; i < compared.size(); i++) {
                row.revenueChange().add(row.revenue().get(i).subtract(row.revenue().get(0)));
            }
            out.add(row);
        }
        return new ComparisonView(compared.stream().map(RunView::of).toList(), out);
    }

    private Runs.Run run(String id) {
        UUID runId = Ids.parse(id).orElseThrow(() -> ProblemException.notFound("Run " + id));
        return runs.find(tenant.tenantId(), runId).orElseThrow(() -> ProblemException.notFound("Run " + id));
    }

    private static Runs.Run finished(Runs.Run run) {
        if (!"done".equals(run.status())) {
            throw ProblemException.conflict("Run " + run.id() + " is " + run.status() + (run.error() == null ? "" : ": " + run.error()));
        }
        return run;
    }

    static List<String> keys(String groupBy) {
        if (groupBy == null || groupBy.isBlank()) {
            return List.of("channel");
        }
        List<String> keys = Arrays.stream(groupBy.split(",")).map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
        for (String k : keys) {
            if (!CreditQueries.KEYS.containsKey(k)) {
                throw ProblemException.invalidField("group_by", "keys are channel, source, medium, campaign, keyword and has_click_id");
            }
        }
        return keys;
    }

    private static CreditView view(CreditQueries.CreditRow r) {
        return new CreditView(r.keys(), r.currency(), r.conversions(), major(r.revenueMinor(), r.currency()), major(r.grossProfitMinor(), r.currency()));
    }

    private static BigDecimal major(long minor, String currency) {
        return new Money(minor, Currency.getInstance(currency)).major();
    }

    private static <T> List<T> zeros(int n, T zero) {
        return new ArrayList<>(java.util.Collections.nCopies(n, zero));
    }

    private static Instant time(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(field, "must be an RFC 3339 time such as 2026-11-01T00:00:00Z");
        }
    }
}
