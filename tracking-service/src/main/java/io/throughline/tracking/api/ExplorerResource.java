package io.throughline.tracking.api;

import io.throughline.commons.api.Page;
import io.throughline.commons.api.ProblemException;
import io.throughline.commons.tenant.TenantContext;
import io.throughline.tracking.store.ExplorerQueries;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.bson.Document;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The hits and sessions explorer: what the collector stored, newest first, filterable, as JSON or CSV. */
@Path("/api/tracking")
@Tag(name = "Explorer", description = "Stored hits and sessions (touchpoints), for checking what tracking sees")
@RolesAllowed({"admin", "analyst"})
public class ExplorerResource {

    private static final Set<String> TYPES = Set.of("pageview", "lead", "identify", "event");

    private final ExplorerQueries queries;
    private final TenantContext tenant;

    public ExplorerResource(ExplorerQueries queries, TenantContext tenant) {
        this.queries = queries;
        this.tenant = tenant;
    }

    @GET
    @Path("/sessions")
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    @Operation(summary = "Sessions, newest first", description = "Filters combine; from/to are dates in tz or RFC 3339 times. "
            + "Accept: text/csv or format=csv gives the page as CSV.")
    @APIResponse(responseCode = "200", description = "A page of sessions")
    @APIResponse(responseCode = "400", description = "An invalid filter, limit or cursor")
    public Response sessions(@QueryParam("site_id") String siteId, @QueryParam("visitor_id") String visitorId,
            @QueryParam("channel") String channel, @QueryParam("excluded") Boolean excluded,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("tz") String tz,
            @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor,
            @Parameter(description = "csv for a CSV download") @QueryParam("format") String format,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        int size = Page.limit(limit);
        TimeBounds bounds = TimeBounds.parse(from, to, tz);
        List<Document> rows = queries.sessions(tenant.tenantId(),
                new ExplorerQueries.Filter(siteId, visitorId, null, null, channel, excluded, bounds.from(), bounds.to()),
                after(cursor), size + 1);
        Page<SessionView> page = Page.of(rows, size, d -> key(d, "started_at"), SessionView::of);
        return csv(format, accept) ? ExplorerCsv.sessions(page) : Response.ok(page, MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("/sessions/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One session with its hits, oldest first")
    @APIResponse(responseCode = "404", description = "No such session in this workspace")
    public SessionDetail session(@PathParam("id") String id) {
        Document session = queries.session(tenant.tenantId(), id);
        if (session == null) {
            throw ProblemException.notFound("Session " + id);
        }
        List<HitView> hits = queries.hits(tenant.tenantId(), new ExplorerQueries.Filter(null, null, id, null, null, null, null, null),
                null, Page.MAX_LIMIT).stream().map(HitView::of).sorted(java.util.Comparator.comparing(HitView::occurredAt)
                .thenComparing(HitView::receivedAt).thenComparingInt(HitView::seq)).toList();
        return new SessionDetail(SessionView.of(session), hits);
    }

    /** A session and its hits. */
    public record SessionDetail(SessionView session, List<HitView> hits) {
    }

    @GET
    @Path("/hits")
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    @Operation(summary = "Hits, newest first", description = "Filters combine; type is pageview, lead, identify or event. "
            + "Accept: text/csv or format=csv gives the page as CSV.")
    @APIResponse(responseCode = "200", description = "A page of hits")
    @APIResponse(responseCode = "400", description = "An invalid filter, limit or cursor")
    public Response hits(@QueryParam("site_id") String siteId, @QueryParam("visitor_id") String visitorId,
            @QueryParam("session_id") String sessionId, @QueryParam("type") String type, @QueryParam("channel") String channel,
            @QueryParam("excluded") Boolean excluded, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("tz") String tz, @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor,
            @QueryParam("format") String format, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        if (type != null && !TYPES.contains(type)) {
            throw ProblemException.invalidField("type", "must be one of " + new java.util.TreeSet<>(TYPES));
        }
        int size = Page.limit(limit);
        TimeBounds bounds = TimeBounds.parse(from, to, tz);
        List<Document> rows = queries.hits(tenant.tenantId(),
                new ExplorerQueries.Filter(siteId, visitorId, sessionId, type, channel, excluded, bounds.from(), bounds.to()),
                after(cursor), size + 1);
        Page<HitView> page = Page.of(rows, size, d -> key(d, "received_at"), HitView::of);
        return csv(format, accept) ? ExplorerCsv.hits(page) : Response.ok(page, MediaType.APPLICATION_JSON).build();
    }

    private static boolean csv(String format, String accept) {
        if (format != null) {
            if (!format.equals("csv") && !format.equals("json")) {
                throw ProblemException.invalidField("format", "must be csv or json");
            }
            return format.equals("csv");
        }
        return accept != null && accept.contains("text/csv") && !accept.contains(MediaType.APPLICATION_JSON);
    }

    private static String key(Document d, String timeField) {
        return d.getDate(timeField).getTime() + "|" + d.getString("_id");
    }

    private static ExplorerQueries.After after(String cursor) {
        String key = Page.after(cursor);
        if (key == null) {
            return null;
        }
        int bar = key.indexOf('|');
        try {
            return new ExplorerQueries.After(Instant.ofEpochMilli(Long.parseLong(key.substring(0, bar))), key.substring(bar + 1));
        } catch (RuntimeException e) {
            throw ProblemException.invalidField("cursor", "is not a cursor this endpoint returned");
        }
    }
}
