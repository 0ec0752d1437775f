package io.throughline.attribution.domain.crm;

import io.throughline.attribution.domain.deals.DealSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * amoCRM webhooks (form-encoded): {@code leads[add|update|status|restore][i][...]} carry a lead's id, name,
 * status_id, pipeline_id, price, responsible_user_id, date_create / created_at, last_modified / updated_at and
 * custom_fields; {@code contacts[add|update][i][...]} carry a contact's id, its PHONE and EMAIL custom fields and
 * linked_leads_id. Status 142 is amoCRM's "closed - won", 143 "closed - lost"; the status id is the stage name that
 * the workspace's stage mappings map. Lead deletions are reported back (deals are kept: money already received stays).
 */
public final class AmoCrmWebhook {

    public static final String WON = "142";
    public static final String LOST = "143";
    private static final List<String> LEAD_EVENTS = List.of("add", "update", "status", "restore");
    private static final Set<String> LOSS_REASON_FIELDS = Set.of("причина отказа", "loss reason", "loss_reason");

    /** What one request carried: the account, lead snapshots (without contacts) and contacts per linked lead. */
    public record Parsed(String subdomain, List<DealSnapshot> leads, List<ContactOfLead> contacts) {
    }

    public record ContactOfLead(String leadId, DealSnapshot.Contact contact, Instant updatedAt) {
    }

    private AmoCrmWebhook() {
    }

    public static Parsed read(Map<String, String> form, CrmSettings settings) {
        Map<String, Object> tree = FormTree.parse(form);
        String subdomain = FormTree.text(FormTree.map(tree, "account"), "subdomain");
        List<DealSnapshot> leads = new ArrayList<>();
        for (String event : LEAD_EVENTS) {
            List<Map<String, Object>> items = FormTree.items(FormTree.map(tree, "leads", event));
            for (int i = 0; i < items.size(); i++) {
                leads.add(lead(items.get(i), "leads[" + event + "][" + i + "]", settings));
            }
        }
        List<ContactOfLead> contacts = new ArrayList<>();
        for (String event : List.of("add", "update")) {
            List<Map<String, Object>> items = FormTree.items(FormTree.map(tree, "contacts", event));
            for (int i = 0; i < items.size(); i++) {
                contacts.addAll(contact(items.get(i), "contacts[" + event + "][" + i + "]"));
            }
        }
        return new Parsed(subdomain, leads, contacts);
    }

    private static DealSnapshot lead(Map<String, Object> lead, String at, CrmSettings settings) {
        String id = CrmValues.id(at + "[id]", FormTree.text(lead, "id"));
        String statusId = FormTree.text(lead, "status_id");
        String status = WON.equals(statusId) ? "won" : LOST.equals(statusId) ? "lost" : "open";
        long price = CrmValues.minor(at + "[price]", FormTree.text(lead, "price"), settings.currency());
        String modified = FormTree.text(lead, "last_modified") != null ? "last_modified" : "updated_at";
        Instant updated = CrmValues.unix(at + "[" + modified + "]", FormTree.text(lead, modified), true);
        String createdField = FormTree.text(lead, "date_create") != null ? "date_create" : "created_at";
        Instant created = CrmValues.unix(at + "[" + createdField + "]", FormTree.text(lead, createdField), false);
        String visitor = null;
        String lossReason = null;
        for (Map<String, Object> field : FormTree.items(FormTree.map(lead, "custom_fields"))) {
            String name = FormTree.text(field, "name");
            List<Map<String, Object>> values = FormTree.items(FormTree.map(field, "values"));
            String value = values.isEmpty() ? null : FormTree.text(values.get(0), "value");
            if (name != null && settings.visitorField() != null && name.equalsIgnoreCase(settings.visitorField())) {
                visitor = CrmValues.text(value);
            } else if (name != null && LOSS_REASON_FIELDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                lossReason = CrmValues.text(value);
            }
        }
        if (lossReason == null && "lost".equals(status)) {
            lossReason = CrmValues.text(FormTree.text(lead, "loss_reason_id"));
        }
        List<DealSnapshot.Stage> stages = statusId == null ? List.of() : List.of(new DealSnapshot.Stage(statusId, updated));
        List<DealSnapshot.Payment> payments = "won".equals(status) && settings.wonIsPaid() && price > 0
                ? List.of(new DealSnapshot.Payment("won", "payment", price, updated)) : List.of();
        DealSnapshot.Contact contact = visitor == null ? DealSnapshot.Contact.NONE
                : new DealSnapshot.Contact(null, List.of(), List.of(), visitor, null, null);
        return new DealSnapshot(settings.crm(), id, CrmValues.text(FormTree.text(lead, "name")), CrmValues.text(FormTree.text(lead, "pipeline_id")),
                statusId, status, "lost".equals(status) ? lossReason : null, settings.currency(), price, null, null,
                CrmValues.text(FormTree.text(lead, "responsible_user_id")), contact, created, updated, stages, payments);
    }

    private static List<ContactOfLead> contact(Map<String, Object> contact, String at) {
        String id = CrmValues.id(at + "[id]", FormTree.text(contact, "id"));
        List<String> phones = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        for (Map<String, Object> field : FormTree.items(FormTree.map(contact, "custom_fields"))) {
            String code = FormTree.text(field, "code");
            for (Map<String, Object> v : FormTree.items(FormTree.map(field, "values"))) {
                String value = CrmValues.text(FormTree.text(v, "value"));
                if (value != null && "PHONE".equals(code) && phones.size() < 20) {
                    phones.add(value);
                } else if (value != null && "EMAIL".equals(code) && emails.size() < 20) {
                    emails.add(value);
                }
            }
        }
        String modified = FormTree.text(contact, "last_modified") != null ? "last_modified" : "updated_at";
        Instant updated = CrmValues.unix(at + "[" + modified + "]", FormTree.text(contact, modified), true);
        Set<String> leads = new LinkedHashSet<>();
        Map<String, Object> linked = FormTree.map(contact, "linked_leads_id");
        // Either linked_leads_id[<lead>][ID]=<lead> or linked_leads_id[<i>]=<lead>.
        linked.forEach((key, value) -> {
            String lead = value instanceof String s ? s : key;
            if (lead.matches("\\d{1,20}")) {
                leads.add(lead);
            }
        });
        DealSnapshot.Contact c = new DealSnapshot.Contact(id, List.copyOf(emails), List.copyOf(phones), null, null, null);
        return leads.stream().map(lead -> new ContactOfLead(lead, c, updated)).toList();
    }
}
