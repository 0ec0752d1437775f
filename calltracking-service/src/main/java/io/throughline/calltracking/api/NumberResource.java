package io.throughline.calltracking.api;

import io.throughline.calltracking.client.TrackingSites;
import io.throughline.calltracking.domain.TrackedSite;
import io.throughline.calltracking.store.Numbers;
import io.throughline.calltracking.store.PoolSettings;
import io.throughline.commons.api.Page;
import io.throughline.commons.api.ProblemException;
import io.throughline.commons.id.Ids;
import io.throughline.commons.tenant.TenantContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Tracked numbers: a pool's dynamic numbers and static numbers bound to a source. */
@Path("/api/calltracking/numbers")
@Tag(name = "Numbers", description = "Tracked phone numbers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class NumberResource {

    private final Numbers numbers;
    private final PoolSettings pools;
    private final TrackingSites sites;
    private final TenantContext tenant;

    public NumberResource(Numbers numbers, PoolSettings pools, TrackingSites sites, TenantContext tenant) {
        this.numbers = numbers;
        this.pools = pools;
        this.sites = sites;
        this.tenant = tenant;
    }

    @POST
    @RolesAllowed("admin")
    @Operation(summary = "Add a static number bound to a source")
    @APIResponse(responseCode = "201", description = "Added")
    @APIResponse(responseCode = "409", description = "The number is already tracked")
    @APIResponse(responseCode = "422", description = "The site key is not a site of this workspace")
    public Response addStatic(@Valid @NotNull NumberRequest request) {
        TrackedSite site = site(request.siteKey());
        if (!site.tenantId().equals(tenant.tenantId())) {
            throw ProblemException.unprocessable("site_key", "is not a site of this workspace");
        }
        String e164 = PoolService.phones("number", List.of(request.number()), site.defaultPhoneRegion()).get(0);
        Numbers.Number number = new Numbers.Number(Ids.newId(), tenant.tenantId(), request.siteKey(), null, "static", e164, blank(request.label()),
                lower(request.matchSource()), lower(request.matchMedium()), lower(request.matchCampaign()),
                request.channel() == null || request.channel().isBlank() ? "offline" : request.channel(), true,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        store(List.of(number));
        return Response.created(URI.create("/api/calltracking/numbers/" + number.id())).entity(NumberView.of(number)).build();
    }

    @GET
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "The workspace's active numbers, optionally of one pool")
    public Page<NumberView> list(@QueryParam("pool_id") String poolId, @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        int size = Page.limit(limit);
        String after = Page.after(cursor);
        UUID afterId = after == null ? null
                : Ids.parse(after).orElseThrow(() -> ProblemException.invalidField("cursor", "is not a cursor this endpoint returned"));
        UUID pool = poolId == null ? null : Ids.parse(poolId).orElseThrow(() -> ProblemException.invalidField("pool_id", "is not a pool id"));
        return Page.of(numbers.page(tenant.tenantId(), pool, afterId, size + 1), size, n -> n.id().toString(), NumberView::of);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed("admin")
    @Operation(summary = "Retire a number: no longer shown; calls to it are still matched against its history")
    @APIResponse(responseCode = "204", description = "Retired")
    @APIResponse(responseCode = "404", description = "No such active number in this workspace")
    public Response retire(@PathParam("id") String id) {
        UUID numberId = Ids.parse(id).orElseThrow(() -> ProblemException.notFound("Number " + id));
        if (!numbers.retire(tenant.tenantId(), numberId)) {
            throw ProblemException.notFound("Number " + id);
        }
        return Response.noContent().build();
    }

    List<Numbers.Number> store(List<Numbers.Number> batch) {
        try {
            return numbers.add(batch);
        } catch (Numbers.Taken e) {
            throw ProblemException.conflict(e.e164() + " is already tracked");
        }
    }

    TrackedSite site(String siteKey) {
        return sites.byPublicKey(siteKey).await().atMost(Duration.ofSeconds(10))
                .orElseThrow(() -> ProblemException.unprocessable("site_key", "is not a site of this workspace"));
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String lower(String s) {
        return s == null || s.isBlank() ? null : s.strip().toLowerCase(java.util.Locale.ROOT);
    }
}
