package io.throughline.identity.api;

import io.throughline.commons.api.ProblemException;
import io.throughline.commons.tenant.TenantContext;
import io.throughline.identity.config.IdentityConfig;
import io.throughline.identity.store.Erasures;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/identity/erasures/{id}")
@Tag(name = "Erasures", description = "Erasure status per service")
@Produces(MediaType.APPLICATION_JSON)
public class ErasureResource {

    public record ServiceStatus(String service, String status, Instant confirmedAt, String deleted) {
    }

    public record ErasureView(String id, String personId, Instant requestedAt, String status, List<ServiceStatus> services) {
    }

    private final Erasures erasures;
    private final IdentityConfig config;
    private final TenantContext tenant;

    public ErasureResource(Erasures erasures, IdentityConfig config, TenantContext tenant) {
        this.erasures = erasures;
        this.config = config;
        this.tenant = tenant;
    }

    @GET
    @RolesAllowed("admin")
    @Operation(summary = "An erasure: identity is done at once; each service holding data confirms what it deleted")
    public ErasureView get(@PathParam("id") String id) {
        Erasures.Status status = io.throughline.commons.id.Ids.parse(id).flatMap(uuid -> erasures.status(tenant.tenantId(), uuid))
                .orElseThrow(() -> ProblemException.notFound("Erasure " + id));
        List<ServiceStatus> services = new java.util.ArrayList<>();
        services.add(new ServiceStatus("identity", "done", status.requestedAt(), "nodes, edges; keys suppressed"));
        for (String consumer : config.erasureConsumers()) {
            services.add(status.confirmations().stream().filter(c -> c.consumer().equals(consumer)).findFirst()
                    .map(c -> new ServiceStatus(consumer, "done", c.confirmedAt(), c.deleted()))
                    .orElse(new ServiceStatus(consumer, "pending", null, null)));
        }
        boolean done = services.stream().allMatch(s -> s.status().equals("done"));
        return new ErasureView(status.id().toString(), status.person().toString(), status.requestedAt(), done ? "done" : "pending", services);
    }
}
