package io.throughline.identity.api;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.throughline.commons.api.ProblemException;
import io.throughline.commons.tenant.TenantContext;
import io.throughline.identity.domain.MergeGuardSettings;
import io.throughline.identity.store.IdentitySettingsEntity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/identity/settings")
@Tag(name = "Settings", description = "Merge guards of the identity graph")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SettingsResource {

    private final TenantContext tenant;
    private final io.throughline.identity.store.PersonRecords persons;

    public SettingsResource(TenantContext tenant, io.throughline.identity.store.PersonRecords persons) {
        this.tenant = tenant;
        this.persons = persons;
    }

    @GET
    @WithSession
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "The workspace's merge-guard settings (defaults until changed)")
    public Uni<SettingsView> get() {
        return IdentitySettingsEntity.<IdentitySettingsEntity>findById(tenant.tenantId()).map(SettingsResource::view);
    }

    @PUT
    @WithTransaction
    @RolesAllowed("admin")
    @Operation(summary = "Replace the workspace's merge-guard settings")
    @APIResponse(responseCode = "400", description = "Invalid threshold or mailbox")
    public Uni<SettingsView> put(@Valid @NotNull SettingsView request) {
        for (int i = 0; i < request.roleMailboxes().size(); i++) {
            if (MergeGuardSettings.normalizeMailbox(request.roleMailboxes().get(i)).isEmpty()) {
                throw ProblemException.invalidField("role_mailboxes[" + i + "]", "is not a mailbox name such as info or noreply");
            }
        }
        String tenantId = tenant.tenantId();
        List<String> mailboxes = MergeGuardSettings.canonical(request.roleMailboxes());
        return IdentitySettingsEntity.<IdentitySettingsEntity>findById(tenantId).chain(existing -> {
            IdentitySettingsEntity row = existing == null ? new IdentitySettingsEntity() : existing;
            row.tenantId = tenantId;
            row.hubThreshold = request.hubThreshold();
            row.roleMailboxes = mailboxes.toArray(String[]::new);
            row.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            return row.<IdentitySettingsEntity>persist();
        }).map(SettingsResource::view).eventually(() -> persons.forgetSettings(tenantId));
    }

    private static SettingsView view(IdentitySettingsEntity row) {
        if (row == null) {
            MergeGuardSettings d = MergeGuardSettings.defaults();
            return new SettingsView(d.hubThreshold(), d.roleMailboxes(), false, null);
        }
        return new SettingsView(row.hubThreshold, List.of(row.roleMailboxes), true, row.updatedAt);
    }
}
