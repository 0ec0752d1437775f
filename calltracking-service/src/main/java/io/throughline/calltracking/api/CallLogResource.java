package io.throughline.calltracking.api;

import io.throughline.calltracking.domain.CallRules;
import io.throughline.calltracking.store.CallQueries;
import io.throughline.calltracking.store.CallSettings;
import io.throughline.commons.api.FieldError;
import io.throughline.commons.api.Page;
import io.throughline.commons.api.ProblemException;
import io.throughline.commons.id.Ids;
import io.throughline.commons.tenant.TenantContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The call log (JSON or CSV) and the per-site call rules. */
@Path("/api/calltracking")
@Tag(name = "Calls", description = "Call log and call rules")
@Produces(MediaType.APPLICATION_JSON)
public class CallLogResource {

    private static final int CSV_MAX = 10_000;

    private final CallQueries queries;
    private final CallSettings settings;
    private final NumberResource numberAdmin;
    private final TenantContext tenant;

    public CallLogResource(CallQueries queries, CallSettings settings, NumberResource numberAdmin, TenantContext tenant) {
        this.queries = queries;
        this.settings = settings;
        this.numberAdmin = numberAdmin;
        this.tenant = tenant;
    }

    @GET
    @Path("/calls")
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "The call log, newest first, with filters; ?format=csv for a spreadsheet (up to 10,000 rows)")
    @APIResponse(responseCode = "400", description = "A filter is invalid (named in the problem)")
    public Response log(@QueryParam("site_key") String siteKey, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("direction") String direction, @QueryParam("status") String status, @QueryParam("match") String match,
            @QueryParam("target") Boolean target, @QueryParam("excluded") Boolean excluded, @QueryParam("first_time") Boolean firstTime,
            @QueryParam("missed") Boolean missed, @QueryParam("caller") String caller, @QueryParam("format") String format,
            @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        check("direction", direction, List.of("inbound", "outbound"));
        check("status", status, List.of("answered", "no_answer", "busy", "canceled", "failed"));
        check("match", match, List.of("reservation", "static", "unidentified"));
        String callerE164 = caller == null ? null : PoolService.phones("caller", List.of(caller), "RU").get(0);
        CallQueries.Filter filter = new CallQueries.Filter(siteKey, time("from", from), time("to", to), direction, status, match, target, excluded,
                firstTime, missed, callerE164);
        if ("csv".equals(format)) {
            return Response.ok(csv(queries.log(tenant.tenantId(), filter, null, null, CSV_MAX)), "text/csv; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"calls.csv\"").build();
        }
        int size = Page.limit(limit);
        Page.TimeKey after = Page.afterTime(cursor);
        List<CallQueries.Call> rows = queries.log(tenant.tenantId(), filter, after == null ? null : after.at(), after == null ? null : after.id(),
                size + 1);
        return Response.ok(Page.of(rows, size, c -> Page.TimeKey.of(c.startedAt(), c.id()), CallView::of)).build();
    }

    @GET
    @Path("/calls/{id}")
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "One call")
    @APIResponse(responseCode = "404", description = "No such call in this workspace")
    public CallView get(@PathParam("id") String id) {
        UUID callId = Ids.parse(id).orElseThrow(() -> ProblemException.notFound("Call " + id));
        return queries.find(tenant.tenantId(), callId).map(CallView::of).orElseThrow(() -> ProblemException.notFound("Call " + id));
    }

    @GET
    @Path("/sites/{site_key}/call-rules")
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "The site's call rules (the defaults until an admin saves some)")
    public CallRules rules(@PathParam("site_key") String siteKey) {
        ownSite(siteKey);
        return settings.of(tenant.tenantId(), siteKey);
    }

    @PUT
    @Path("/sites/{site_key}/call-rules")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    @Operation(summary = "Replace the site's call rules: target talk time, unique-caller window, abandoned threshold, callback window, "
            + "spam limits, match skew, blocklist")
    @APIResponse(responseCode = "400", description = "A rule is out of range (named in the problem)")
    public CallRules saveRules(@PathParam("site_key") String siteKey, @Valid @NotNull CallRules rules) {
        ownSite(siteKey);
        List<String[]> violations = rules.violations();
        if (!violations.isEmpty()) {
            throw ProblemException.badRequest("Some rules are out of range",
                    violations.stream().map(v -> new FieldError(v[0], v[1])).toArray(FieldError[]::new));
        }
        CallRules normalized = new CallRules(rules.targetMinTalkSeconds(), rules.uniqueWindowDays(), rules.abandonedMaxSeconds(),
                rules.callbackWindowMinutes(), rules.maxCallsPerHour(), rules.zeroTalkBurst(), rules.matchSkewSeconds(),
                PoolService.phones("blocklist", rules.blocklist(), "RU"));
        settings.save(tenant.tenantId(), siteKey, normalized);
        return normalized;
    }

    private void ownSite(String siteKey) {
        if (!numberAdmin.site(siteKey).tenantId().equals(tenant.tenantId())) {
            throw ProblemException.notFound("Site " + siteKey);
        }
    }

    private static void check(String field, String value, List<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            throw ProblemException.invalidField(field, "must be one of " + allowed);
        }
    }

    private static Instant time(String field, String value) {
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(field, "must be an RFC 3339 time such as 2026-11-01T00:00:00Z");
        }
    }

    private static String csv(List<CallQueries.Call> calls) {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader("started_at", "direction", "caller", "called_number", "status",
                "talk_seconds", "wait_seconds", "match", "confidence", "channel", "source", "medium", "campaign", "term", "click_ids", "target",
                "first_time", "missed", "abandoned", "called_back", "excluded", "exclusion_reasons", "call_id").get())) {
            for (CallQueries.Call c : calls) {
                csv.printRecord(c.startedAt(), c.direction(), CallView.mask(c.callerE164(), c.callerRaw()), c.calledE164(), c.status(), c.talkSeconds(),
                        c.waitSeconds(), c.matchKind(), c.matchConfidence(), c.channel(), c.campaign().get("source"), c.campaign().get("medium"),
                        c.campaign().get("campaign"), c.campaign().get("term"), String.join(" ", c.clickIds().keySet()), c.target(), c.firstTime(),
                        c.missed(), c.abandoned(), c.calledBack(), c.excluded(), String.join(" ", c.exclusionReasons()), c.id());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
