package io.throughline.attribution.domain.crm;

import com.fasterxml.jackson.databind.JsonNode;
import io.throughline.attribution.domain.deals.DealSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A Bitrix24 deal as {@code crm.deal.get} returns it ({@code result}: ID, TITLE, CATEGORY_ID, STAGE_ID,
 * STAGE_SEMANTIC_ID P / S / F, OPPORTUNITY, CURRENCY_ID, CONTACT_ID, ASSIGNED_BY_ID, DATE_CREATE, DATE_MODIFY,
 * CLOSEDATE, user fields UF_CRM_*), with its contact from {@code crm.contact.get} (PHONE and EMAIL multi-fields).
 * Semantic S is won, F lost (the stage id is then the loss reason); the stage id ("C1:PREPAYMENT_INVOICE") is the
 * stage name the workspace's mappings map.
 */
public final class Bitrix24Deal {

    private Bitrix24Deal() {
    }

    public static DealSnapshot snapshot(JsonNode deal, JsonNode contact, CrmSettings settings) {
        String id = CrmValues.id("result.ID", text(deal, "ID"));
        String semantic = text(deal, "STAGE_SEMANTIC_ID");
        String status = "S".equals(semantic) ? "won" : "F".equals(semantic) ? "lost" : "open";
        String stage = text(deal, "STAGE_ID");
        String currency = text(deal, "CURRENCY_ID") == null ? settings.currency() : text(deal, "CURRENCY_ID");
        long amount = CrmValues.minor("result.OPPORTUNITY", text(deal, "OPPORTUNITY"), currency);
        Instant updated = CrmValues.iso("result.DATE_MODIFY", text(deal, "DATE_MODIFY"), true);
        Instant created = CrmValues.iso("result.DATE_CREATE", text(deal, "DATE_CREATE"), false);
        Instant closed = CrmValues.iso("result.CLOSEDATE", text(deal, "CLOSEDATE"), false);
        List<DealSnapshot.Payment> payments = "won".equals(status) && settings.wonIsPaid() && amount > 0
                ? List.of(new DealSnapshot.Payment("won", "payment", amount, closed != null && !closed.isAfter(updated) ? closed : updated)) : List.of();
        List<String> phones = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        if (contact != null) {
            multi(contact.path("PHONE"), phones);
            multi(contact.path("EMAIL"), emails);
        }
        String visitor = settings.visitorField() == null ? null : CrmValues.text(text(deal, settings.visitorField()));
        DealSnapshot.Contact c = new DealSnapshot.Contact(CrmValues.text(text(deal, "CONTACT_ID")), emails, phones, visitor, null, null);
        return new DealSnapshot(settings.crm(), id, CrmValues.text(text(deal, "TITLE")), CrmValues.text(text(deal, "CATEGORY_ID")), stage, status,
                "lost".equals(status) ? stage : null, currency, amount, null, null, CrmValues.text(text(deal, "ASSIGNED_BY_ID")), c, created, updated,
                stage == null ? List.of() : List.of(new DealSnapshot.Stage(stage, updated)), payments);
    }

    private static void multi(JsonNode values, List<String> out) {
        for (JsonNode v : values) {
            String value = CrmValues.text(v.path("VALUE").asText(null));
            if (value != null && out.size() < 20) {
                out.add(value);
            }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }
}
