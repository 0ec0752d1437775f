package io.throughline.calltracking.api;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.throughline.calltracking.domain.TrackedSite;
import io.throughline.calltracking.store.Numbers;
import io.throughline.calltracking.store.PoolRepository;
import io.throughline.calltracking.store.PoolSettings;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import io.throughline.commons.api.Page;
import io.throughline.commons.api.ProblemException;
import io.throughline.commons.id.Ids;
import io.throughline.commons.tenant.TenantContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/calltracking/pools")
@Tag(name = "Pools", description = "Dynamic number pools")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PoolResource {

    /** Numbers to add to a pool, in any usual notation (parsed with the site's region). */
    public record PoolNumbers(@NotEmpty @Size(max = 500) List<@NotBlank @Size(max = 40) String> numbers) {
    }

    private final PoolService service;
    private final PoolRepository pools;
    private final PoolSettings poolSettings;
    private final NumberResource numberAdmin;
    private final TenantContext tenant;
    private final PoolReportService reports;

    public PoolResource(PoolService service, PoolRepository pools, PoolSettings poolSettings, NumberResource numberAdmin, TenantContext tenant,
            PoolReportService reports) {
        this.reports = reports;
        this.service = service;
        this.pools = pools;
        this.poolSettings = poolSettings;
        this.numberAdmin = numberAdmin;
        this.tenant = tenant;
    }

    @POST
    @Path("/{id}/numbers")
    @RolesAllowed("admin")
    @Operation(summary = "Add numbers to a pool (all or none)")
    @APIResponse(responseCode = "201", description = "Added")
    @APIResponse(responseCode = "400", description = "A number is not a valid phone number (named in the problem)")
    @APIResponse(responseCode = "404", description = "No such pool in this workspace")
    @APIResponse(responseCode = "409", description = "A number is already tracked (here or by another workspace)")
    public Response addToPool(@PathParam("id") String id, @Valid @NotNull PoolNumbers request) {
        UUID poolId = Ids.parse(id).orElseThrow(() -> ProblemException.notFound("Pool " + id));
        PoolSettings.Pool pool = poolSettings.find(tenant.tenantId(), poolId).orElseThrow(() -> ProblemException.notFound("Pool " + id));
        TrackedSite site = numberAdmin.site(pool.siteKey());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<Numbers.Number> added = PoolService.phones("numbers", request.numbers(), site.defaultPhoneRegion()).stream()
                .map(e164 -> new Numbers.Number(Ids.newId(), tenant.tenantId(), pool.siteKey(), poolId, "pool", e164, null, null, null, null,
                        null, true, now))
                .toList();
        return Response.status(201).entity(new Page<>(numberAdmin.store(added).stream().map(NumberView::of).toList(), null)).build();
    }


    @POST
    @RolesAllowed("admin")
    @Operation(summary = "Create a dynamic number pool for a site of this workspace")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "400", description = "Invalid field")
    @APIResponse(responseCode = "409", description = "A pool with this name exists")
    @APIResponse(responseCode = "422", description = "The site key is not a site of this workspace")
    @APIResponse(responseCode = "503", description = "tracking-service is unavailable")
    public Uni<Response> create(@Valid @NotNull PoolRequest request) {
        return service.create(tenant.tenantId(), request).map(pool -> Response
                .created(URI.create("/api/calltracking/pools/" + pool.id)).entity(PoolView.of(pool)).build());
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed("admin")
    @Operation(summary = "Replace a pool's settings (hold, overflow policy, numbers to replace, selectors, mask, default number)")
    @APIResponse(responseCode = "200", description = "Updated")
    @APIResponse(responseCode = "404", description = "No such pool in this workspace")
    @APIResponse(responseCode = "409", description = "Another pool has this name")
    public Uni<PoolView> update(@PathParam("id") String id, @Valid @NotNull PoolRequest request) {
        UUID poolId = Ids.parse(id).orElseThrow(() -> ProblemException.notFound("Pool " + id));
        return service.update(tenant.tenantId(), poolId, request).map(PoolView::of);
    }

    @GET
    @Path("/{id}/report")
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "Utilization over time (peak numbers held per bucket, visits, overflows) and the recommended pool size")
    @APIResponse(responseCode = "400", description = "A bad range or bucket (named in the problem)")
    @APIResponse(responseCode = "404", description = "No such pool in this workspace")
    public PoolReport report(@PathParam("id") String id, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("bucket") String bucket) {
        UUID poolId = Ids.parse(id).orElseThrow(() -> ProblemException.notFound("Pool " + id));
        PoolSettings.Pool pool = poolSettings.find(tenant.tenantId(), poolId).orElseThrow(() -> ProblemException.notFound("Pool " + id));
        return reports.report(pool, from, to, bucket);
    }

    @GET
    @WithSession
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "List the workspace's pools")
    public Uni<Page<PoolView>> list(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        int size = Page.limit(limit);
        String after = Page.after(cursor);
        UUID afterId = after == null ? null
                : Ids.parse(after).orElseThrow(() -> ProblemException.invalidField("cursor", "is not a cursor this endpoint returned"));
        return pools.page(tenant.tenantId(), afterId, size + 1)
                .map(rows -> Page.of(rows, size, p -> p.id.toString(), PoolView::of));
    }

    @GET
    @Path("/{id}")
    @WithSession
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "One pool")
    @APIResponse(responseCode = "404", description = "No such pool in this workspace")
    public Uni<PoolView> get(@PathParam("id") String id) {
        UUID poolId = Ids.parse(id).orElseThrow(() -> ProblemException.notFound("Pool " + id));
        return pools.findForTenant(tenant.tenantId(), poolId).map(pool -> {
            if (pool == null) {
                throw ProblemException.notFound("Pool " + id);
            }
            return PoolView.of(pool);
        });
    }
}
