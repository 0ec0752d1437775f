package io.throughline.identity.api;

import io.throughline.commons.api.Page;
import io.throughline.commons.api.ProblemException;
import io.throughline.commons.tenant.TenantContext;
import io.throughline.identity.store.PersonRecords;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/identity/guard-decisions")
@Tag(name = "Guard decisions", description = "Every identifier the merge guards refused, and why")
@Produces(MediaType.APPLICATION_JSON)
public class GuardDecisionResource {

    private final PersonRecords persons;
    private final TenantContext tenant;

    public GuardDecisionResource(PersonRecords persons, TenantContext tenant) {
        this.persons = persons;
        this.tenant = tenant;
    }

    @GET
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "Guard decisions (blocked values, unique conflicts, quarantined hubs, type limits, suppressions), oldest first")
    public Page<PersonRecords.Decision> list(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        int size = Page.limit(limit);
        String after = Page.after(cursor);
        long afterId;
        try {
            afterId = after == null ? 0 : Long.parseLong(after);
        } catch (NumberFormatException e) {
            throw ProblemException.invalidField("cursor", "is not a cursor this endpoint returned");
        }
        return Page.of(persons.decisions(tenant.tenantId(), afterId, size + 1), size, d -> Long.toString(d.id()), d -> d);
    }
}
