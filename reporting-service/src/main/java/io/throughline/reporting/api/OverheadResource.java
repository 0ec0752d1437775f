package io.throughline.reporting.api;

import io.throughline.commons.api.FieldError;
import io.throughline.commons.api.ProblemException;
import io.throughline.commons.money.Money;
import io.throughline.commons.tenant.TenantContext;
import io.throughline.reporting.store.OverheadStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/reporting/overheads")
@Tag(name = "Overheads", description = "Salaries, tools, commissions and bonuses per month, allocated to channels by the workspace's rule")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OverheadResource {

    static final Set<String> CATEGORIES = Set.of("salaries", "tools", "agency_commission", "payment_commission", "bonuses", "other");

    private final OverheadStore store;
    private final TenantContext tenant;

    public OverheadResource(OverheadStore store, TenantContext tenant) {
        this.store = store;
        this.tenant = tenant;
    }

    @Schema(description = "A month's overheads (replacing what the month held): each an amount in a currency, or a percent of the month's ad"
            + " spend (an agency commission); a channel when the item is that channel's only", example = """
            {"items": [{"category": "salaries", "amount": 350000.00, "currency": "RUB", "note": "marketing team"},
                       {"category": "agency_commission", "percent_of_spend": 12, "channel": "paid_search"}]}""")
    public record MonthRequest(@NotNull @Size(max = 200) List<Item> items) {
    }

    public record Item(String category, BigDecimal amount, String currency, BigDecimal percentOfSpend, String channel, String note) {
    }

    public record MonthView(String month, List<Item> items) {
    }

    @PUT
    @Path("/{month}")
    @RolesAllowed("admin")
    @Operation(summary = "Replace a month's overheads (month as YYYY-MM)")
    @APIResponse(responseCode = "400", description = "An item is invalid (named in errors)")
    public MonthView put(@PathParam("month") String month, @Valid @NotNull MonthRequest request) {
        YearMonth m = month(month, "month");
        List<FieldError> errors = new ArrayList<>();
        List<OverheadStore.Item> items = new ArrayList<>();
        for (int i = 0; i < request.items().size(); i++) {
            Item it = request.items().get(i);
            String f = "items[" + i + "]";
            if (it == null || it.category() == null || !CATEGORIES.contains(it.category())) {
                errors.add(new FieldError(f + ".category", "must be one of " + String.join(", ", new java.util.TreeSet<>(CATEGORIES))));
                continue;
            }
            if ((it.amount() == null) == (it.percentOfSpend() == null)) {
                errors.add(new FieldError(f, "needs an amount (with currency) or a percent_of_spend, not both"));
                continue;
            }
            String channel = it.channel() == null || it.channel().isBlank() ? null : it.channel().strip();
            String note = it.note() == null ? null : it.note().strip();
            if (note != null && note.length() > 300 || channel != null && channel.length() > 100) {
                errors.add(new FieldError(f, "channel (100) or note (300) is too long"));
                continue;
            }
            if (it.percentOfSpend() != null) {
                if (it.percentOfSpend().signum() < 0 || it.percentOfSpend().compareTo(BigDecimal.valueOf(100)) > 0 || it.percentOfSpend().scale() > 4) {
                    errors.add(new FieldError(f + ".percent_of_spend", "must be between 0 and 100, with at most 4 decimals"));
                    continue;
                }
                items.add(new OverheadStore.Item(m, it.category(), null, null, it.percentOfSpend(), channel, note));
                continue;
            }
            Optional<Currency> c = Money.currency(it.currency());
            if (c.isEmpty()) {
                errors.add(new FieldError(f + ".currency", "is required with an amount (ISO 4217)"));
                continue;
            }
            Optional<Money> amount = it.amount().signum() < 0 ? Optional.empty() : Money.ofMajor(it.amount(), c.get());
            if (amount.isEmpty()) {
                errors.add(new FieldError(f + ".amount", "must be >= 0 with at most " + c.get().getDefaultFractionDigits() + " decimals"));
                continue;
            }
            items.add(new OverheadStore.Item(m, it.category(), amount.get().amountMinor(), c.get().getCurrencyCode(), null, channel, note));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest(errors.size() + " item(s) are invalid; nothing was stored", errors.toArray(FieldError[]::new));
        }
        store.replaceMonth(tenant.tenantId(), m, items);
        return new MonthView(m.toString(), items.stream().map(OverheadResource::view).toList());
    }

    @GET
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "Overheads of the months from .. to (YYYY-MM, at most 60 months)")
    public Map<String, List<MonthView>> list(@QueryParam("from") String from, @QueryParam("to") String to) {
        YearMonth start = month(from, "from");
        YearMonth end = month(to, "to");
        if (end.isBefore(start) || start.plusMonths(60).isBefore(end)) {
            throw ProblemException.invalidField("to", "must be from .. from + 60 months");
        }
        Map<YearMonth, List<Item>> months = new LinkedHashMap<>();
        for (OverheadStore.Item i : store.between(tenant.tenantId(), start, end)) {
            months.computeIfAbsent(i.month(), k -> new ArrayList<>()).add(view(i));
        }
        return Map.of("items", months.entrySet().stream().map(e -> new MonthView(e.getKey().toString(), e.getValue())).toList());
    }

    private static Item view(OverheadStore.Item i) {
        return new Item(i.category(), i.amountMinor() == null ? null : new Money(i.amountMinor(), Currency.getInstance(i.currency())).major(), i.currency(),
                i.percentOfSpend(), i.channel(), i.note());
    }

    private static YearMonth month(String value, String field) {
        try {
            return YearMonth.parse(value == null ? "" : value.strip());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(field, "must be a month such as 2026-11");
        }
    }
}
