package io.throughline.reporting.api;

import io.throughline.commons.api.Page;
import io.throughline.commons.api.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/reporting/reports")
@Tag(name = "Reports", description = "Money reports on money actually received: every one names its period, currency and attribution run")
@Produces({MediaType.APPLICATION_JSON, "text/csv"})
@RolesAllowed({"admin", "analyst"})
public class ReportResource {

    /** The query parameters every report takes. */
    public static class Query {
        @QueryParam("from") public String from;
        @QueryParam("to") public String to;
        @QueryParam("tz") public String tz;
        @QueryParam("site") public String site;
        @QueryParam("channel") public String channel;
        @QueryParam("source") public String source;
        @QueryParam("medium") public String medium;
        @QueryParam("campaign") public String campaign;
        @QueryParam("keyword") public String keyword;
        @QueryParam("group_by") public String groupBy;
        @QueryParam("model") public String model;
        @QueryParam("sort") public String sort;
        @QueryParam("limit") public Integer limit;
        @QueryParam("cursor") public String cursor;
        @QueryParam("format") public String format;
        @QueryParam("delimiter") public String delimiter;
        @HeaderParam("Accept") public String accept;

        ReportContexts.Params params() {
            return new ReportContexts.Params(from, to, tz, site, channel, source, medium, campaign, keyword, groupBy, model);
        }

        String fingerprint() {
            return Integer.toHexString(String.join("\u0001", String.valueOf(from), String.valueOf(to), String.valueOf(site), String.valueOf(channel),
                    String.valueOf(source), String.valueOf(medium), String.valueOf(campaign), String.valueOf(keyword), String.valueOf(groupBy),
                    String.valueOf(model), String.valueOf(sort)).hashCode());
        }
    }

    private final ReportContexts contexts;
    private final ChannelReport channels;
    private final NaiveReport naive;
    private final CohortReport cohorts;
    private final FunnelReport funnel;
    private final ManagerReport managers;
    private final QualityReport quality;
    private final CallReport calls;

    public ReportResource(ReportContexts contexts, ChannelReport channels, NaiveReport naive, CohortReport cohorts, FunnelReport funnel,
            ManagerReport managers, QualityReport quality, CallReport calls) {
        this.contexts = contexts;
        this.channels = channels;
        this.naive = naive;
        this.cohorts = cohorts;
        this.funnel = funnel;
        this.managers = managers;
        this.quality = quality;
        this.calls = calls;
    }

    @GET
    @Path("/naive-vs-real")
    @Operation(summary = "What the ad cabinet says against what was earned: naive ROMI (raw leads at the believed value, last click), real ROMI"
            + " (paid gross profit, chosen model) and the bridge between them in ROMI points (bots and junk, duplicates and returning customers,"
            + " unpaid deals, average check, margin, attribution model, overheads); group_by channel (default) or campaign keys")
    public Response naive(@BeanParam Query q) {
        return answer(q, naive::build, "channel");
    }

    @GET
    @Path("/cohorts")
    @Operation(summary = "Cohort LTV: first-payment month x acquisition keys (default channel): cumulative revenue and gross profit per customer"
            + " at month 0..N, retention, repeat-purchase rate, payback month against the cohort's CAC, and a labelled LTV forecast")
    public Response cohorts(@BeanParam Query q) {
        return answer(q, cohorts::build, "channel");
    }

    @GET
    @Path("/funnel")
    @Operation(summary = "The funnel of deals created in the period by lead keys: stages reached, stage-to-stage conversion, days in stage, lost")
    public Response funnel(@BeanParam Query q) {
        return answer(q, funnel::stages, "channel");
    }

    @GET
    @Path("/funnel-losses")
    @Operation(summary = "Lost deals of the period by loss reason and lead keys")
    public Response losses(@BeanParam Query q) {
        return answer(q, funnel::losses, "channel");
    }

    @GET
    @Path("/managers")
    @Operation(summary = "Managers: first-response time, win rate, conversion to payment, cycle length, revenue, share closed after few touches")
    public Response managers(@BeanParam Query q) {
        return answer(q, managers::build, "channel");
    }

    @GET
    @Path("/data-quality")
    @Operation(summary = "Data quality by keys: bot sessions, junk leads, duplicates, returning customers, unpaid deals, unmatched and spam calls,"
            + " deals without any touchpoint")
    public Response quality(@BeanParam Query q) {
        return answer(q, quality::build, "channel");
    }

    @GET
    @Path("/calls")
    @Operation(summary = "Calls by channel and campaign: inbound, answered, target, unique, missed, called back, spam, unmatched")
    public Response calls(@BeanParam Query q) {
        return answer(q, calls::build, "channel");
    }

    @GET
    @Path("/channels")
    @Operation(summary = "Channels: cost (ads only and fully loaded), traffic, leads raw and clean, deals, paid deals, new customers, revenue,"
            + " gross profit, CPC, CPL, CPO, CAC, ROAS, ROMI (profit and revenue based), LTV, LTV/CAC, payback; group_by any of channel,"
            + " source, medium, campaign, keyword (default channel)")
    @APIResponse(responseCode = "200", description = "meta (period, currency, model run, overheads, rate gaps), columns (name, type: key, text,"
            + " count, decimal, money, percent, ratio; description), totals, items, next_cursor; or CSV")
    @APIResponse(responseCode = "400", description = "A parameter is invalid (named in errors)")
    public Response channels(@BeanParam Query q) {
        return answer(q, ctx -> channels.build(ctx), "channel");
    }

    @GET
    @Path("/campaigns")
    @Operation(summary = "The channel report grouped by campaign (default group_by channel,source,medium,campaign)")
    public Response campaigns(@BeanParam Query q) {
        return answer(q, ctx -> named(channels.build(ctx), "campaigns"), "channel,source,medium,campaign");
    }

    @GET
    @Path("/keywords")
    @Operation(summary = "The channel report grouped by keyword (default group_by channel,source,campaign,keyword)")
    public Response keywords(@BeanParam Query q) {
        return answer(q, ctx -> named(channels.build(ctx), "keywords"), "channel,source,campaign,keyword");
    }

    @GET
    @Path("/trend")
    @Operation(summary = "The channel report by day or month (interval=day, the default, or month; oldest first): cost, traffic, leads, deals,"
            + " revenue, gross profit, ROMI ... per day of the period in the workspace's zone; group_by adds keys (group_by=channel: a line per"
            + " channel). Days without anything are left out; lifetime value is not split by day")
    @APIResponse(responseCode = "400", description = "A parameter is invalid (named in errors)")
    public Response trend(@BeanParam Query q, @QueryParam("interval") String interval) {
        String time = interval == null || interval.isBlank() ? "day" : interval.strip();
        if (!io.throughline.reporting.store.ReportQueries.TIME_KEYS.contains(time)) {
            throw ProblemException.invalidField("interval", "must be day or month");
        }
        if (q.groupBy != null && java.util.Arrays.stream(q.groupBy.split(",")).map(String::strip)
                .anyMatch(io.throughline.reporting.store.ReportQueries.TIME_KEYS::contains)) {
            throw ProblemException.invalidField("group_by", "takes keys only; the time goes in interval");
        }
        q.groupBy = q.groupBy == null || q.groupBy.isBlank() ? time : time + "," + q.groupBy;
        return answer(q, ctx -> {
            ReportOutput out = named(channels.build(ctx), "trend");
            return new ReportOutput(out.table(), out.rows(), out.totals(), out.meta(), time);
        }, time, true);
    }

    private static ReportOutput named(ReportOutput out, String name) {
        out.meta().put("report", name);
        return out;
    }

    Response answer(Query q, Function<ReportContext, ReportOutput> report, String defaultGroupBy) {
        return answer(q, report, defaultGroupBy, false);
    }

    Response answer(Query q, Function<ReportContext, ReportOutput> report, String defaultGroupBy, boolean timeKeys) {
        ReportContext ctx = contexts.of(q.params(), defaultGroupBy, null, timeKeys);
        ReportOutput out = report.apply(ctx);
        List<Map<String, Object>> sorted = out.table().sorted(out.rows(), q.sort, out.defaultSort());
        boolean csv = "csv".equals(q.format) || q.format == null && q.accept != null && q.accept.contains("text/csv") && !q.accept.contains("json");
        if (q.format != null && !q.format.equals("csv") && !q.format.equals("json")) {
            throw ProblemException.invalidField("format", "must be json or csv");
        }
        if (csv) {
            char delimiter = "semicolon".equals(q.delimiter) ? ';' : ',';
            String name = out.meta().get("report") + "-" + ctx.period.from() + "-" + ctx.period.to() + ".csv";
            return Response.ok(out.table().csv(sorted, delimiter).getBytes(StandardCharsets.UTF_8), "text/csv; charset=UTF-8")
                    .header("Content-Disposition", "attachment; filename=\"" + name + "\"").build();
        }
        ReportTable.Slice slice = ReportTable.page(sorted, Page.limit(q.limit), q.cursor, q.fingerprint());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("meta", out.meta());
        body.put("columns", out.table().columns().stream().map(c -> Map.of("name", c.name(), "type", c.type().name().toLowerCase(java.util.Locale.ROOT),
                "description", c.description())).toList());
        body.put("totals", out.table().json(out.totals()));
        body.put("items", slice.rows().stream().map(out.table()::json).toList());
        body.put("next_cursor", slice.nextCursor());
        return Response.ok(body, MediaType.APPLICATION_JSON).build();
    }
}
