package io.throughline.attribution.api;

import io.throughline.attribution.domain.deals.DealSnapshot;
import io.throughline.commons.money.Money;
import io.throughline.attribution.store.Deals;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.List;

/** A deal with its stages and payments; money as decimal amounts of its currency. */
public record DealView(String id, String crm, String externalId, String title, String pipeline, String stage, String canonicalStage, String status,
        String lossReason, String currency, BigDecimal amount, BigDecimal cost, BigDecimal paid, String productLine, String manager,
        DealSnapshot.Contact contact, Instant createdAt, Instant updatedAt, List<Deals.Stage> stageHistory, List<Payment> payments) {

    public record Payment(String id, String kind, BigDecimal amount, Instant paidAt) {
    }

    static DealView of(Deals.Deal d) {
        Currency c = Currency.getInstance(d.currency());
        return new DealView(d.id().toString(), d.crm(), d.externalId(), d.title(), d.pipeline(), d.stage(), d.canonicalStage(), d.status(),
                d.lossReason(), d.currency(), new Money(d.amountMinor(), c).major(), d.costMinor() == null ? null : new Money(d.costMinor(), c).major(),
                new Money(d.paidMinor(), c).major(), d.productLine(), d.manager(), d.contact(), d.createdAt(), d.updatedAt(), d.stages(),
                d.payments().stream().map(p -> new Payment(p.externalId(), p.kind(), new Money(Math.abs(p.amountMinor()), c).major(), p.paidAt())).toList());
    }
}
