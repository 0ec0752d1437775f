package io.throughline.reporting.api;

import io.smallrye.mutiny.Uni;
import io.throughline.commons.api.FieldError;
import io.throughline.commons.api.Page;
import io.throughline.commons.api.ProblemException;
import io.throughline.commons.tenant.TenantContext;
import io.throughline.reporting.domain.AdCost;
import io.throughline.commons.money.Money;
import io.throughline.reporting.store.AdCostStore;
import io.throughline.reporting.store.AdCostStore.AdCostKey;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/reporting/costs")
@Tag(name = "Ad costs", description = "Ad spend per day, source and campaign")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CostResource {

    static final int MAX_RANGE_DAYS = 366;

    private final AdCostStore store;
    private final TenantContext tenant;

    public CostResource(AdCostStore store, TenantContext tenant) {
        this.store = store;
        this.tenant = tenant;
    }

    @PUT
    @RolesAllowed({"admin", "ingest"})
    @Operation(summary = "Import ad spend; idempotent by day x source x campaign")
    @APIResponse(responseCode = "200", description = "Rows stored")
    @APIResponse(responseCode = "400", description = "A row is invalid; nothing is stored")
    public Uni<Map<String, Integer>> importCosts(@Valid @NotNull CostImport request) {
        List<AdCost> costs = new ArrayList<>(request.rows().size());
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < request.rows().size(); i++) {
            CostImport.Row row = request.rows().get(i);
            if (row.amount().signum() < 0) {
                errors.add(new FieldError("rows[" + i + "].amount", "must be >= 0 (refunds belong to deals, not ad costs)"));
                continue;
            }
            Optional<Currency> currency = Money.currency(row.currency());
            if (currency.isEmpty()) {
                errors.add(new FieldError("rows[" + i + "].currency", "is not an ISO 4217 currency code"));
                continue;
            }
            Optional<Money> amount = Money.ofMajor(row.amount(), currency.get());
            if (amount.isEmpty()) {
                errors.add(new FieldError("rows[" + i + "].amount", "has more fraction digits than "
                        + currency.get().getCurrencyCode() + " allows, or is too large"));
                continue;
            }
            costs.add(new AdCost(row.day(), row.source().strip(), row.campaign().strip(), amount.get()));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest(errors.size() + " row(s) are invalid; nothing was stored",
                    errors.toArray(FieldError[]::new));
        }
        return store.upsert(tenant.tenantId(), costs).map(n -> Map.of("stored", n));
    }

    @GET
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "Ad spend in a period (dates inclusive)")
    @APIResponse(responseCode = "400", description = "Missing or invalid period")
    public Uni<Page<CostView>> list(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        LocalDate start = date("from", from);
        LocalDate end = date("to", to);
        if (end.isBefore(start)) {
            throw ProblemException.invalidField("to", "must not be before from");
        }
        if (ChronoUnit.DAYS.between(start, end) >= MAX_RANGE_DAYS) {
            throw ProblemException.invalidField("to", "must be within " + MAX_RANGE_DAYS + " days of from");
        }
        int size = Page.limit(limit);
        String after = Page.after(cursor);
        AdCostKey key;
        try {
            key = after == null ? null : AdCostKey.decode(after);
        } catch (RuntimeException e) {
            throw ProblemException.invalidField("cursor", "is not a cursor this endpoint returned");
        }
        return store.page(tenant.tenantId(), start, end, key, size + 1).map(rows -> Page.of(rows, size,
                c -> new AdCostKey(c.day(), c.source(), c.campaign()).encode(), CostView::of));
    }

    private static LocalDate date(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ProblemException.invalidField(field, "is required (YYYY-MM-DD)");
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(field, "must be a date such as 2026-11-01");
        }
    }
}
