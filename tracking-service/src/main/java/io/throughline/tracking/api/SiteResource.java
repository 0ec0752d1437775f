package io.throughline.tracking.api;

import io.throughline.commons.api.Page;
import io.throughline.commons.api.ProblemException;
import io.throughline.commons.id.Ids;
import io.throughline.commons.tenant.TenantContext;
import io.throughline.tracking.store.SiteStore;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/tracking/sites")
@Tag(name = "Sites", description = "Websites that embed t.js")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SiteResource {

    private final SiteService sites;
    private final SiteStore store;
    private final TenantContext tenant;
    private final String publicBaseUrl;

    public SiteResource(SiteService sites, SiteStore store, TenantContext tenant,
            @ConfigProperty(name = "throughline.public-base-url", defaultValue = "http://localhost:8080") String publicBaseUrl) {
        this.sites = sites;
        this.store = store;
        this.tenant = tenant;
        this.publicBaseUrl = publicBaseUrl;
    }

    @POST
    @RolesAllowed("admin")
    @Operation(summary = "Register a site and issue its public key")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "400", description = "Invalid domain, region or name")
    @APIResponse(responseCode = "409", description = "The workspace has as many sites as it may")
    public Response create(@Valid @NotNull SiteRequest request) {
        SiteView view = SiteView.of(sites.register(tenant.tenantId(), request), publicBaseUrl);
        return Response.created(URI.create("/api/tracking/sites/" + view.id())).entity(view).build();
    }

    @GET
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "List the workspace's sites")
    public Page<SiteView> list(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        int size = Page.limit(limit);
        return Page.of(store.page(tenant.tenantId(), Page.after(cursor), size + 1), size,
                s -> s.id().toString(), s -> SiteView.of(s, publicBaseUrl));
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed("admin")
    @Operation(summary = "Change a site's settings", description = "Domains, phone region, consent mode, session timeout, form threshold; "
            + "the public key stays, so embedded snippets keep working")
    @APIResponse(responseCode = "200", description = "Updated")
    @APIResponse(responseCode = "400", description = "Invalid domain, region or name")
    @APIResponse(responseCode = "404", description = "No such site in this workspace")
    public SiteView update(@PathParam("id") String id, @Valid @NotNull SiteRequest request) {
        java.util.UUID uuid = Ids.parse(id).orElseThrow(() -> ProblemException.notFound("Site " + id));
        return SiteView.of(sites.update(tenant.tenantId(), uuid, request), publicBaseUrl);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "One site")
    @APIResponse(responseCode = "404", description = "No such site in this workspace")
    public SiteView get(@PathParam("id") String id) {
        return Ids.parse(id).flatMap(uuid -> store.find(tenant.tenantId(), uuid)).map(s -> SiteView.of(s, publicBaseUrl))
                .orElseThrow(() -> ProblemException.notFound("Site " + id));
    }
}
