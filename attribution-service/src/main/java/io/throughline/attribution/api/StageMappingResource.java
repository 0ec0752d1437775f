package io.throughline.attribution.api;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.throughline.attribution.domain.StageNames;
import io.throughline.attribution.store.StageMappingEntity;
import io.throughline.attribution.store.StageMappingRepository;
import io.throughline.commons.api.Page;
import io.throughline.commons.api.ProblemException;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/attribution/stage-mappings")
@Tag(name = "Stage mappings", description = "CRM stage names onto the canonical funnel")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class StageMappingResource {

    private static final Pattern CRM = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    private final StageMappingRepository mappings;
    private final TenantContext tenant;

    public StageMappingResource(StageMappingRepository mappings, TenantContext tenant) {
        this.mappings = mappings;
        this.tenant = tenant;
    }

    @GET
    @WithSession
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "The workspace's stage mappings, optionally of one CRM")
    public Uni<Page<StageMappingView>> list(@QueryParam("crm") String crm) {
        if (crm != null && !CRM.matcher(crm).matches()) {
            throw ProblemException.invalidField("crm", "is not a CRM name such as amocrm or bitrix24");
        }
        return mappings.forTenant(tenant.tenantId(), crm)
                .map(rows -> new Page<>(rows.stream().map(StageMappingView::of).toList(), null));
    }

    @PUT
    @Path("/{crm}")
    @WithTransaction
    @RolesAllowed("admin")
    @Operation(summary = "Replace the stage mapping of one CRM (atomically)")
    @APIResponse(responseCode = "400", description = "Unknown canonical stage, or one stage mapped twice")
    public Uni<Page<StageMappingView>> replace(@PathParam("crm") String crm, @Valid @NotNull StageMappingRequest request) {
        if (!CRM.matcher(crm).matches()) {
            throw ProblemException.invalidField("crm", "is not a CRM name such as amocrm or bitrix24");
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < request.mappings().size(); i++) {
            Integer first = seen.putIfAbsent(StageNames.key(request.mappings().get(i).stage()), i);
            if (first != null) {
                throw ProblemException.invalidField("mappings[" + i + "].stage", "repeats mappings[" + first + "].stage");
            }
        }
        String tenantId = tenant.tenantId();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<StageMappingEntity> rows = request.mappings().stream().map(m -> {
            StageMappingEntity e = new StageMappingEntity();
            e.id = new StageMappingEntity.Key(tenantId, crm, StageNames.key(m.stage()));
            e.stageName = m.stage().strip();
            e.canonicalStage = m.canonical();
            e.updatedAt = now;
            return e;
        }).toList();
        return mappings.deleteCrm(tenantId, crm)
                .call(() -> mappings.getSession().call(session -> session.flush()))
                .call(() -> mappings.persist(rows))
                .chain(() -> mappings.forTenant(tenantId, crm))
                .map(saved -> new Page<>(saved.stream().map(StageMappingView::of).toList(), null));
    }
}
