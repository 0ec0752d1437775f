package io.throughline.attribution.domain.deals;

import java.time.Instant;
import java.util.List;

/**
 * A deal as a CRM reported it at {@code updatedAt} (the CRM's modification time, which orders snapshots). Money in
 * minor units of {@code currency}; refunds are payments with negative amounts.
 */
public record DealSnapshot(String crm, String externalId, String title, String pipeline, String stage, String status, String lossReason,
        String currency, long amountMinor, Long costMinor, String productLine, String manager, Contact contact, Instant createdAt,
        Instant updatedAt, List<Stage> stages, List<Payment> payments) {

    /** Who the deal is with, as the CRM and the site's form knew them (linked in identity-service). */
    public record Contact(String crmContactId, List<String> emails, List<String> phones, String visitorId, String gaClientId, String ymClientId) {
        public static final Contact NONE = new Contact(null, List.of(), List.of(), null, null, null);
    }

    public record Stage(String stage, Instant enteredAt) {
    }

    public record Payment(String externalId, String kind, long amountMinor, Instant paidAt) {
    }
}
