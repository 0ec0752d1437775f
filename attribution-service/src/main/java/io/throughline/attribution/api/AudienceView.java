package io.throughline.attribution.api;

import io.throughline.attribution.domain.audiences.AudienceRule;
import io.throughline.attribution.store.AudienceStore;
import io.throughline.commons.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An audience as the API shows it: its definition, current version and size, and the feed user (never the secret). */
public record AudienceView(UUID id, String name, String kind, Integer withinDays, BigDecimal minRevenue, String minRevenueCurrency, List<String> stages,
        String purpose, List<UUID> include, List<UUID> exclude, int version, int size, boolean recomputing, String feedUser, Instant createdAt,
        Instant updatedAt) {

    static AudienceView of(AudienceStore.Audience a) {
        AudienceRule r = a.rule();
        var paid = r instanceof AudienceRule.PaidCustomers p ? p : null;
        BigDecimal min = paid != null && paid.minRevenueMinor() != null
                ? new Money(paid.minRevenueMinor(), Money.currency(paid.minRevenueCurrency()).orElseThrow()).major() : null;
        return new AudienceView(a.id(), a.name(), r.kind(), paid == null ? null : paid.withinDays(), min, min == null ? null : paid.minRevenueCurrency(),
                r instanceof AudienceRule.OpenDeals o ? List.copyOf(o.stages()) : null, r instanceof AudienceRule.Uploaded u ? u.purpose() : null,
                r instanceof AudienceRule.Combined c ? c.include() : null, r instanceof AudienceRule.Combined c ? c.exclude() : null, a.version(),
                a.size(), a.rebuild(), a.feedUser(), a.createdAt(), a.updatedAt());
    }
}
