package io.throughline.attribution.api;

import io.throughline.attribution.processing.DealIdentityRelay;
import io.throughline.attribution.store.Deals;
import io.throughline.commons.api.Page;
import io.throughline.commons.api.ProblemException;
import io.throughline.commons.id.Ids;
import io.throughline.commons.tenant.TenantContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The generic CRM API: a CRM (or its integration) puts each deal's current state, keyed by CRM and its deal id;
 * repeated and out-of-order puts converge to the newest state with every stage and payment kept.
 */
@Path("/api/attribution/deals")
@Tag(name = "Deals", description = "CRM deals and payments (the conversions)")
@Produces(MediaType.APPLICATION_JSON)
public class DealResource {

    private static final Pattern CRM = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final Pattern EXTERNAL = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    private final Deals deals;
    private final TenantContext tenant;
    private final DealIdentityRelay relay;

    public DealResource(Deals deals, TenantContext tenant, DealIdentityRelay relay) {
        this.deals = deals;
        this.tenant = tenant;
        this.relay = relay;
    }

    @PUT
    @Path("/{crm}/{external_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({"admin", "ingest"})
    @Operation(summary = "Put a deal's current state (upsert by CRM and the CRM's deal id)")
    @APIResponse(responseCode = "200", description = "The deal as stored; applied=false when a newer snapshot was already stored")
    @APIResponse(responseCode = "400", description = "An invalid field (named in the problem)")
    public Response put(@PathParam("crm") String crm, @PathParam("external_id") String externalId, DealRequest request) {
        if (!CRM.matcher(crm).matches()) {
            throw ProblemException.invalidField("crm", "must be a short lowercase name such as amocrm, bitrix24 or my-crm");
        }
        if (!EXTERNAL.matcher(externalId).matches()) {
            throw ProblemException.invalidField("external_id", "must be 1-100 letters, digits, '.', '_', ':' or '-'");
        }
        if (request == null) {
            throw ProblemException.invalidField("body", "must be a deal");
        }
        Deals.Upsert result = deals.upsert(tenant.tenantId(), request.snapshot(crm, externalId));
        relay.trigger();
        DealView view = DealView.of(deals.find(tenant.tenantId(), result.id()).orElseThrow());
        return Response.ok(new Stored(result.created(), result.applied(), view)).build();
    }

    /** The answer to a put: whether it created the deal, whether this snapshot is now its state, and the deal. */
    public record Stored(boolean created, boolean applied, DealView deal) {
    }

    @GET
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "The workspace's deals, most recently changed first")
    public Page<DealView> list(@QueryParam("crm") String crm, @QueryParam("status") String status, @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        if (status != null && !List.of("open", "won", "lost").contains(status)) {
            throw ProblemException.invalidField("status", "must be open, won or lost");
        }
        int size = Page.limit(limit);
        Page.TimeKey after = Page.afterTime(cursor);
        return Page.of(deals.page(tenant.tenantId(), crm, status, after == null ? null : after.at(), after == null ? null : after.id(), size + 1),
                size, d -> Page.TimeKey.of(d.updatedAt(), d.id()), DealView::of);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "One deal with its stage history and payments")
    @APIResponse(responseCode = "404", description = "No such deal in this workspace")
    public DealView get(@PathParam("id") String id) {
        UUID dealId = Ids.parse(id).orElseThrow(() -> ProblemException.notFound("Deal " + id));
        return deals.find(tenant.tenantId(), dealId).map(DealView::of).orElseThrow(() -> ProblemException.notFound("Deal " + id));
    }
}
