package io.throughline.attribution.domain.journeys;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A deal as journeys need it: whose it is, its milestones (created, opportunity = first reached qualified or a later
 * open stage, won = first reached won or paid), its money events up to the data cut-off (refunds negative) and the
 * share of revenue that is gross profit.
 */
public record DealFacts(UUID id, String personKey, String currency, Instant createdAt, Instant opportunityAt, Instant wonAt,
        List<MoneyEvent> money, double grossRatio) {

    public record MoneyEvent(String id, long amountMinor, Instant at) {
        public String kind() {
            return amountMinor < 0 ? "refund" : "payment";
        }
    }

    public DealFacts {
        money = List.copyOf(money);
    }

    public DealFacts withPerson(String key) {
        return new DealFacts(id, key, currency, createdAt, opportunityAt, wonAt, money, grossRatio);
    }

    /** When the deal converted under {@code event}, or null. */
    public Instant conversionAt(String event) {
        return switch (event) {
            case "payment" -> money.stream().filter(m -> m.amountMinor() > 0).map(MoneyEvent::at).min(Instant::compareTo).orElse(null);
            case "deal_won" -> wonAt;
            case "lead_created" -> createdAt;
            default -> throw new IllegalArgumentException(event);
        };
    }

    public long netMinor() {
        return money.stream().mapToLong(MoneyEvent::amountMinor).sum();
    }
}
