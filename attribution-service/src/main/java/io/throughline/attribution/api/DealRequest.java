package io.throughline.attribution.api;

import io.throughline.attribution.domain.deals.DealSnapshot;
import io.throughline.commons.money.Money;
import io.throughline.commons.api.ProblemException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "A deal as the CRM has it now: the newest snapshot by updated_at wins; stage history and payments accumulate",
        example = """
        {"title": "Sofa order #1042", "pipeline": "Retail", "stage": "Invoice sent", "status": "open", "amount": 18500.00, "currency": "RUB",
         "cost": 9000.00, "product_line": "sofas", "manager": "Olga", "created_at": "2026-11-20T09:00:00Z", "updated_at": "2026-11-21T15:30:00Z",
         "contact": {"crm_contact_id": "c-77", "emails": ["anna@mail.ru"], "phones": ["+7 916 210-45-87"], "visitor_id": "4f1c2a9b8e7d4c3b"},
         "stage_history": [{"stage": "New lead", "entered_at": "2026-11-20T09:00:00Z"}, {"stage": "Invoice sent", "entered_at": "2026-11-21T15:30:00Z"}],
         "payments": [{"id": "p-1", "kind": "payment", "amount": 10000.00, "paid_at": "2026-11-21T16:00:00Z"}]}""")
public record DealRequest(String title, String pipeline, String stage, String status, String lossReason, BigDecimal amount, String currency,
        BigDecimal cost, String productLine, String manager, String createdAt, String updatedAt, ContactInput contact, List<StageInput> stageHistory,
        List<PaymentInput> payments) {

    public record ContactInput(String crmContactId, List<String> emails, List<String> phones, String visitorId, String gaClientId, String ymClientId) {
    }

    public record StageInput(String stage, String enteredAt) {
    }

    public record PaymentInput(String id, String kind, BigDecimal amount, String paidAt) {
    }

    private static final Set<String> STATUSES = Set.of("open", "won", "lost");

    /** The snapshot, validated; the first problem is a 400 naming its field. */
    DealSnapshot snapshot(String crm, String externalId) {
        if (status == null || !STATUSES.contains(status)) {
            throw ProblemException.invalidField("status", "must be open, won or lost");
        }
        Currency money = Money.currency(currency).orElseThrow(() -> ProblemException.invalidField("currency", "must be an ISO 4217 code such as RUB"));
        long amountMinor = amount == null ? 0 : minor("amount", amount, money);
        Long costMinor = cost == null ? null : minor("cost", cost, money);
        Instant updated = time("updated_at", updatedAt, true);
        List<DealSnapshot.Stage> stages = new ArrayList<>();
        if (stageHistory != null) {
            if (stageHistory.size() > 500) {
                throw ProblemException.invalidField("stage_history", "at most 500 stages");
            }
            for (int i = 0; i < stageHistory.size(); i++) {
                StageInput s = stageHistory.get(i);
                if (s == null || s.stage() == null || s.stage().isBlank() || s.stage().length() > 200) {
                    throw ProblemException.invalidField("stage_history[" + i + "].stage", "is required (at most 200 characters)");
                }
                stages.add(new DealSnapshot.Stage(s.stage().strip(), time("stage_history[" + i + "].entered_at", s.enteredAt(), true)));
            }
        }
        List<DealSnapshot.Payment> paid = new ArrayList<>();
        if (payments != null) {
            if (payments.size() > 500) {
                throw ProblemException.invalidField("payments", "at most 500 payments");
            }
            for (int i = 0; i < payments.size(); i++) {
                PaymentInput p = payments.get(i);
                String at = "payments[" + i + "]";
                if (p == null || p.id() == null || p.id().isBlank() || p.id().length() > 100) {
                    throw ProblemException.invalidField(at + ".id", "is required: the CRM's payment id (at most 100 characters)");
                }
                String kind = p.kind() == null ? "payment" : p.kind();
                if (!kind.equals("payment") && !kind.equals("refund")) {
                    throw ProblemException.invalidField(at + ".kind", "must be payment or refund");
                }
                if (p.amount() == null || p.amount().signum() <= 0) {
                    throw ProblemException.invalidField(at + ".amount", "must be > 0 (a refund is kind refund with a positive amount)");
                }
                long minor = minor(at + ".amount", p.amount(), money);
                paid.add(new DealSnapshot.Payment(p.id().strip(), kind, kind.equals("refund") ? -minor : minor, time(at + ".paid_at", p.paidAt(), true)));
            }
        }
        ContactInput c = contact == null ? new ContactInput(null, null, null, null, null, null) : contact;
        return new DealSnapshot(crm, externalId, text("title", title), text("pipeline", pipeline), text("stage", stage), status,
                text("loss_reason", lossReason), currency, amountMinor, costMinor, text("product_line", productLine), text("manager", manager),
                new DealSnapshot.Contact(text("contact.crm_contact_id", c.crmContactId()), list("contact.emails", c.emails()),
                        list("contact.phones", c.phones()), text("contact.visitor_id", c.visitorId()), text("contact.ga_client_id", c.gaClientId()),
                        text("contact.ym_client_id", c.ymClientId())),
                time("created_at", createdAt, false), updated, stages, paid);
    }

    private static long minor(String field, BigDecimal value, Currency currency) {
        if (value.signum() < 0) {
            throw ProblemException.invalidField(field, "must be >= 0");
        }
        return Money.ofMajor(value, currency).map(Money::amountMinor).orElseThrow(() -> ProblemException.invalidField(field,
                "has more decimals than " + currency.getCurrencyCode() + " allows, or is too large"));
    }

    private static Instant time(String field, String value, boolean required) {
        if (value == null) {
            if (required) {
                throw ProblemException.invalidField(field, "is required: an RFC 3339 time");
            }
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(field, "must be an RFC 3339 time such as 2026-11-21T15:30:00Z");
        }
    }

    private static String text(String field, String value) {
        if (value != null && value.length() > 500) {
            throw ProblemException.invalidField(field, "at most 500 characters");
        }
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static List<String> list(String field, List<String> values) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > 20) {
            throw ProblemException.invalidField(field, "at most 20");
        }
        return values.stream().map(v -> text(field, v)).filter(v -> v != null).toList();
    }
}
