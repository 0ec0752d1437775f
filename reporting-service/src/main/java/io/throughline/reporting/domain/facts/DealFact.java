package io.throughline.reporting.domain.facts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A CRM deal as reporting keeps it (attribution's facts, no contact data): status, the furthest canonical stage, the
 * loss reason, manager, amount and gross margin, the stages it entered, its payments (refunds negative), the person
 * identity-service linked it to and whether they were a returning customer then, and its journey in the default
 * attribution series (absent until a run covered it).
 */
public record DealFact(String dealId, Instant createdAt, String status, String furthestStage, String lossReason, String manager, String currency,
        long amountMinor, double grossRatio, String personId, boolean returning, List<Stage> stages, List<Payment> payments, Journey journey) {

    public record Stage(String canonical, Instant enteredAt) {
    }

    public record Payment(String id, Instant paidAt, long amountMinor) {
    }

    /** The journey: whose (identity person, or the deal alone), how many touches, the touch that created the lead. */
    public record Journey(String personKey, int touches, Keys lead) {
    }

    public DealFact {
        stages = List.copyOf(stages);
        payments = payments.stream().sorted(java.util.Comparator.comparing(Payment::paidAt).thenComparing(Payment::id)).toList();
    }

    /** The keys of the touch that created the lead, or "(not attributed)" before a run covered the deal. */
    public Keys leadKeys() {
        return journey == null ? Keys.NOT_ATTRIBUTED : journey.lead();
    }

    /** Who the deal belongs to: the run's person, else identity's link, else the deal alone. */
    public String person() {
        if (journey != null && journey.personKey() != null && !journey.personKey().isBlank()) {
            String key = journey.personKey();
            return key.startsWith("person:") ? key.substring("person:".length()) : key;
        }
        return personId != null && !personId.isBlank() ? personId : "deal:" + dealId;
    }

    public Optional<Payment> firstPayment() {
        return payments.stream().filter(p -> p.amountMinor() > 0).findFirst();
    }

    public boolean paid() {
        return firstPayment().isPresent();
    }

    public boolean won() {
        return "won".equals(furthestStage) || "paid".equals(furthestStage) || "won".equals(status) || paid();
    }

    /** The first stage entered after the deal was created: a manager moved it (its first response). */
    public Optional<Instant> firstResponseAt() {
        return stages.stream().map(Stage::enteredAt).filter(at -> at.isAfter(createdAt)).min(Instant::compareTo);
    }
}
