package io.throughline.attribution.domain.audiences;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Who belongs to an audience. Person rules are evaluated per person on the facts of their deals; an uploaded list
 * holds contacts (e-mails, phones) as the workspace uploaded them; a combination takes the members of its included
 * audiences and drops anyone who is, or shares an e-mail or phone with, a member of an excluded one.
 */
public sealed interface AudienceRule {

    String kind();

    /**
     * Customers whose net payments (payments less refunds) are positive, optionally at least a minimum in one
     * currency, optionally with a payment within the last {@code withinDays} days.
     */
    record PaidCustomers(Integer withinDays, Long minRevenueMinor, String minRevenueCurrency) implements AudienceRule {
        public String kind() {
            return "paid_customers";
        }
    }

    /** People with an open deal whose stage (CRM name or canonical stage) is one of these. */
    record OpenDeals(Set<String> stages) implements AudienceRule {
        public String kind() {
            return "open_deals";
        }
    }

    /** A list of contacts uploaded by the workspace (employees, competitors, partners). */
    record Uploaded(String purpose) implements AudienceRule {
        public String kind() {
            return "uploaded";
        }
    }

    /** Members of any included audience who are in no excluded audience. */
    record Combined(List<UUID> include, List<UUID> exclude) implements AudienceRule {
        public String kind() {
            return "combined";
        }
    }

    /** One deal of a person, as membership needs it. */
    record DealFact(String status, String stage, String canonicalStage, String currency, long netPaidMinor, Instant lastPaidAt) {
    }

    /** Whether a person with these deals belongs, and until when (a "paid within N days" membership expires). */
    record Verdict(boolean member, Instant expiresAt) {
        public static final Verdict NO = new Verdict(false, null);
    }

    static Verdict evaluate(AudienceRule rule, List<DealFact> deals, Instant now) {
        return switch (rule) {
            case PaidCustomers p -> paid(p, deals, now);
            case OpenDeals o -> deals.stream().anyMatch(d -> "open".equals(d.status())
                    && (o.stages().contains(d.stage()) || o.stages().contains(d.canonicalStage()))) ? new Verdict(true, null) : Verdict.NO;
            default -> Verdict.NO;
        };
    }

    private static Verdict paid(PaidCustomers p, List<DealFact> deals, Instant now) {
        long net = 0;
        long netInCurrency = 0;
        Instant last = null;
        for (DealFact d : deals) {
            net += d.netPaidMinor();
            if (p.minRevenueCurrency() != null && p.minRevenueCurrency().equals(d.currency())) {
                netInCurrency += d.netPaidMinor();
            }
            if (d.lastPaidAt() != null && (last == null || d.lastPaidAt().isAfter(last))) {
                last = d.lastPaidAt();
            }
        }
        if (net <= 0 || last == null) {
            return Verdict.NO;
        }
        if (p.minRevenueMinor() != null && netInCurrency < p.minRevenueMinor()) {
            return Verdict.NO;
        }
        if (p.withinDays() == null) {
            return new Verdict(true, null);
        }
        Instant expires = last.plus(Duration.ofDays(p.withinDays()));
        return expires.isAfter(now) ? new Verdict(true, expires) : Verdict.NO;
    }

    static Optional<String> invalid(AudienceRule rule) {
        return switch (rule) {
            case PaidCustomers p when p.withinDays() != null && (p.withinDays() < 1 || p.withinDays() > 3650) ->
                    Optional.of("within_days must be between 1 and 3650");
            case PaidCustomers p when p.minRevenueMinor() != null && (p.minRevenueMinor() < 0 || p.minRevenueCurrency() == null) ->
                    Optional.of("min_revenue must not be negative and needs a currency");
            case OpenDeals o when o.stages() == null || o.stages().isEmpty() || o.stages().size() > 50 ->
                    Optional.of("stages must list 1 to 50 stages");
            case Combined c when c.include() == null || c.include().isEmpty() || c.include().size() + c.exclude().size() > 20 ->
                    Optional.of("include must name 1 to 20 audiences");
            default -> Optional.empty();
        };
    }
}
