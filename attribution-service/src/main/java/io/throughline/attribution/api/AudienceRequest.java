package io.throughline.attribution.api;

import io.throughline.attribution.domain.audiences.AudienceRule;
import io.throughline.commons.api.ProblemException;
import io.throughline.commons.id.Ids;
import io.throughline.commons.money.Money;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An audience definition as a client writes it; the fields that apply depend on the kind. */
@Schema(example = """
        {"name": "Paid in the last year", "kind": "paid_customers", "within_days": 365, "min_revenue": 1000.00, "min_revenue_currency": "RUB"}""")
public record AudienceRequest(
        @Schema(description = "Unique in the workspace, at most 120 characters") String name,
        @Schema(description = "paid_customers, open_deals, uploaded or combined (fixed once created)") String kind,
        @Schema(description = "paid_customers: paid within this many days (omit: ever)") Integer withinDays,
        @Schema(description = "paid_customers: at least this much net payment in min_revenue_currency") BigDecimal minRevenue,
        String minRevenueCurrency,
        @Schema(description = "open_deals: CRM stage names or canonical stages (lead, qualified, proposal, invoice, won)") List<String> stages,
        @Schema(description = "uploaded: what the list is (employees, competitors, partners ...)") String purpose,
        @Schema(description = "combined: the audiences whose members are included") List<String> include,
        @Schema(description = "combined: the audiences whose members (and anyone sharing an e-mail or phone with them) are left out")
        List<String> exclude) {

    static final Set<String> KINDS = Set.of("paid_customers", "open_deals", "uploaded", "combined");

    AudienceRule rule() {
        if (name == null || name.isBlank() || name.length() > 120) {
            throw ProblemException.invalidField("name", "is required (at most 120 characters)");
        }
        if (kind == null || !KINDS.contains(kind)) {
            throw ProblemException.invalidField("kind", "must be one of paid_customers, open_deals, uploaded, combined");
        }
        AudienceRule rule = switch (kind) {
            case "paid_customers" -> {
                Long min = null;
                if (minRevenue != null) {
                    var currency = Money.currency(minRevenueCurrency)
                            .orElseThrow(() -> ProblemException.invalidField("min_revenue_currency", "is not an ISO 4217 currency"));
                    min = Money.ofMajor(minRevenue, currency)
                            .orElseThrow(() -> ProblemException.invalidField("min_revenue", "has more decimals than " + currency.getCurrencyCode()))
                            .amountMinor();
                }
                yield new AudienceRule.PaidCustomers(withinDays, min, minRevenue == null ? null : minRevenueCurrency);
            }
            case "open_deals" -> {
                Set<String> s = new LinkedHashSet<>();
                for (int i = 0; stages != null && i < stages.size(); i++) {
                    String stage = stages.get(i);
                    if (stage == null || stage.isBlank() || stage.length() > 200) {
                        throw ProblemException.invalidField("stages[" + i + "]", "must be a stage name of at most 200 characters");
                    }
                    s.add(stage.strip());
                }
                yield new AudienceRule.OpenDeals(s);
            }
            case "uploaded" -> {
                if (purpose != null && purpose.length() > 120) {
                    throw ProblemException.invalidField("purpose", "is at most 120 characters");
                }
                yield new AudienceRule.Uploaded(purpose);
            }
            default -> new AudienceRule.Combined(ids("include", include), ids("exclude", exclude));
        };
        AudienceRule.invalid(rule).ifPresent(message -> {
            throw ProblemException.invalidField(field(message), message);
        });
        return rule;
    }

    private static String field(String message) {
        return message.substring(0, message.indexOf(' '));
    }

    private static List<UUID> ids(String field, List<String> values) {
        List<UUID> out = new ArrayList<>();
        for (int i = 0; values != null && i < values.size(); i++) {
            int at = i;
            UUID id = Ids.parse(values.get(i)).orElseThrow(() -> ProblemException.invalidField(field + "[" + at + "]", "is not an audience id"));
            if (!out.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }
}
