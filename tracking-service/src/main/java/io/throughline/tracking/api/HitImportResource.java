package io.throughline.tracking.api;

import io.smallrye.common.annotation.Blocking;
import io.throughline.commons.api.ProblemException;
import io.throughline.commons.id.Ids;
import io.throughline.commons.tenant.TenantContext;
import io.throughline.tracking.domain.Site;
import io.throughline.tracking.store.SiteStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** POST /api/tracking/sites/{id}/hits/import: history from before the snippet (a backfill, a migration, the demo). */
@Path("/api/tracking/sites/{id}/hits/import")
@Tag(name = "Sites", description = "Websites that embed t.js")
public class HitImportResource {

    private final SiteStore sites;
    private final HitImport imports;
    private final TenantContext tenant;

    public HitImportResource(SiteStore sites, HitImport imports, TenantContext tenant) {
        this.sites = sites;
        this.imports = imports;
        this.tenant = tenant;
    }

    /** The answer: totals, and per batch (in request order) its visitor and a verdict per event. */
    public record ImportResponse(int accepted, int duplicates, int rejected, boolean queued, List<BatchResult> batches) {
    }

    public record BatchResult(String visitorId, int accepted, int duplicates, int rejected, boolean queued, List<CollectResponse.EventResult> events) {
    }

    @POST
    @Blocking
    @RolesAllowed({"admin", "ingest"})
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Import historical hits of a site", description = "Batches shaped as /collect's (visitor_id, events with their own"
            + " RFC 3339 ts, optional ga_cookie, ym_uid, client), one visitor each, plus the visitor's user_agent and ip (kept as its /24 or"
            + " /48 network). Events may be up to 400 days old (throughline.tracking.imports.max-age); send each visitor's events in time"
            + " order. Validation, junk scoring (all but the snippet's proof), sessions, channels and the identity hand-off of leads are"
            + " those of /collect; event ids make a retried import store nothing twice. At most 100 batches of 50 events and 2 MB.")
    @RequestBody(content = @Content(schema = @Schema(example = """
            {"batches": [{"visitor_id": "v-2f1c9a77d0", "user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0",
              "ip": "203.0.113.7", "events": [
               {"event_id": "0f8fad5b-d9cb-469f-a165-70867728950e", "type": "pageview", "ts": "2026-02-03T09:15:00Z",
                "url": "https://shop.example.ru/?utm_source=yandex&utm_medium=cpc&utm_campaign=brand&yclid=123", "referrer": "https://yandex.ru/"},
               {"event_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "type": "lead", "ts": "2026-02-03T09:21:00Z",
                "url": "https://shop.example.ru/contact", "form": "callback", "fill_ms": 41000,
                "fields": {"email": "olga@mail.ru", "phone": "+7 916 555-12-34"}}]}]}""")))
    @APIResponse(responseCode = "200", description = "Stored: a verdict per event (accepted, duplicate, rejected with field and reason)")
    @APIResponse(responseCode = "202", description = "The store is down: the batches wait in the spool")
    @APIResponse(responseCode = "400", description = "Not JSON, or a batch's envelope is invalid (errors[].field names it); nothing stored")
    @APIResponse(responseCode = "404", description = "No such site in this workspace")
    @APIResponse(responseCode = "413", description = "More than 100 batches or 50 events in a batch")
    public CompletionStage<Response> importHits(@PathParam("id") String id, byte[] body) {
        Site site = Ids.parse(id).flatMap(uuid -> sites.find(tenant.tenantId(), uuid)).orElseThrow(() -> ProblemException.notFound("Site " + id));
        return imports.importHits(site, body == null ? new byte[0] : body, Instant.now()).thenApply(outcome -> {
            List<BatchResult> batches = new ArrayList<>();
            int accepted = 0;
            int duplicates = 0;
            int rejected = 0;
            boolean queued = false;
            for (int i = 0; i < outcome.batches().size(); i++) {
                CollectResponse b = outcome.batches().get(i);
                batches.add(new BatchResult(outcome.visitors().get(i), b.accepted(), b.duplicates(), b.rejected(), b.queued(), b.events()));
                accepted += b.accepted();
                duplicates += b.duplicates();
                rejected += b.rejected();
                queued |= b.queued();
            }
            return Response.status(queued ? 202 : 200).type(MediaType.APPLICATION_JSON)
                    .entity(new ImportResponse(accepted, duplicates, rejected, queued, batches)).build();
        });
    }
}
