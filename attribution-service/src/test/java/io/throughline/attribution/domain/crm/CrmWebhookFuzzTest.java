package io.throughline.attribution.domain.crm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.throughline.attribution.domain.deals.DealSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * amoCRM's form-encoded webhook reader under Jazzer: whatever fields a caller posts, {@link AmoCrmWebhook#read}
 * either reads deals or names the field at fault ({@link CrmProblem}, a 400), never anything else (a 500), and every
 * deal it reads has an id, the account's currency and a modification time.
 */
class CrmWebhookFuzzTest {

    private static final String[] ROOTS = {"leads", "contacts", "account", "unsorted"};
    private static final String[] EVENTS = {"add", "update", "status", "restore", "delete"};
    private static final String[] FIELDS = {"id", "name", "status_id", "price", "pipeline_id", "responsible_user_id", "last_modified", "updated_at",
            "created_at", "date_create", "custom_fields", "linked_leads_id", "subdomain", "0", "1", "values", "value", "code", "enum"};
    private static final CrmSettings SETTINGS = new CrmSettings("amocrm", "RUB", true, "visitor_id");

    @FuzzTest(maxDuration = "15s")
    void anyFormIsReadOrRefusedByField(FuzzedDataProvider data) {
        Map<String, String> form = new LinkedHashMap<>();
        int fields = data.consumeInt(0, 24);
        for (int i = 0; i < fields; i++) {
            String key;
            if (data.consumeBoolean()) {
                StringBuilder k = new StringBuilder(data.pickValue(ROOTS));
                int depth = data.consumeInt(0, 5);
                for (int d = 0; d < depth; d++) {
                    String part = switch (data.consumeInt(0, 3)) {
                        case 0 -> data.pickValue(EVENTS);
                        case 1 -> Integer.toString(data.consumeInt(-1, 3));
                        case 2 -> data.pickValue(FIELDS);
                        default -> data.consumeString(8);
                    };
                    k.append('[').append(part).append(']');
                }
                key = k.toString();
            } else {
                key = data.consumeString(40);
            }
            form.put(key, data.consumeString(60));
        }
        AmoCrmWebhook.Parsed parsed;
        try {
            parsed = AmoCrmWebhook.read(form, SETTINGS);
        } catch (CrmProblem refused) {
            assertNotNull(refused.field(), "a refusal names the field");
            return;
        }
        for (DealSnapshot lead : parsed.leads()) {
            assertNotNull(lead.externalId());
            assertFalse(lead.externalId().isBlank(), lead::toString);
            assertEquals("RUB", lead.currency(), lead::toString);
            assertNotNull(lead.updatedAt(), lead::toString);
        }
    }
}
