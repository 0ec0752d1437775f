package io.throughline.calltracking.api;

import io.throughline.commons.api.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "A page asking which number to show (and, repeated while the page is visible, a heartbeat)", example = """
        {"site": "pk_7xkq2m9c4w8r3t6y5u2v", "visitor_id": "4f1c2a9b8e7d4c3b", "page": "https://shop.example/landing?utm_source=yandex",
         "referrer": "https://yandex.ru/", "campaign": {"source": "yandex", "medium": "cpc", "campaign": "brand"},
         "click_ids": {"yclid": "7211423645000000000"}}""")
public record DniRequest(String site, String visitorId, String sessionId, String poolId, String page, String referrer,
        Map<String, String> campaign, Map<String, String> clickIds) {

    private static final Pattern VISITOR = Pattern.compile("[A-Za-z0-9._:-]{6,100}");
    private static final List<String> CAMPAIGN_FIELDS = List.of("source", "medium", "campaign", "term", "content", "id");

    /** What is wrong with the request, field by field (empty when it is fine). */
    public List<FieldError> violations() {
        List<FieldError> errors = new ArrayList<>();
        if (site == null || site.isBlank() || site.length() > 64) {
            errors.add(new FieldError("site", "is required: the site's public key"));
        }
        if (visitorId == null || !VISITOR.matcher(visitorId).matches()) {
            errors.add(new FieldError("visitor_id", "must be 6-100 letters, digits, '.', '_', ':' or '-'"));
        }
        if (sessionId != null && sessionId.length() > 100) {
            errors.add(new FieldError("session_id", "must be at most 100 characters"));
        }
        if (page != null && page.length() > 2048) {
            errors.add(new FieldError("page", "must be at most 2048 characters"));
        }
        if (referrer != null && referrer.length() > 2048) {
            errors.add(new FieldError("referrer", "must be at most 2048 characters"));
        }
        if (campaign != null) {
            campaign.forEach((k, v) -> {
                if (!CAMPAIGN_FIELDS.contains(k)) {
                    errors.add(new FieldError("campaign." + k, "is not one of " + CAMPAIGN_FIELDS));
                } else if (v != null && v.length() > 300) {
                    errors.add(new FieldError("campaign." + k, "must be at most 300 characters"));
                }
            });
        }
        if (clickIds != null) {
            if (clickIds.size() > 20) {
                errors.add(new FieldError("click_ids", "at most 20 click ids"));
            }
            clickIds.forEach((k, v) -> {
                if (k.length() > 40 || v == null || v.length() > 500) {
                    errors.add(new FieldError("click_ids." + k, "name up to 40 and value up to 500 characters"));
                }
            });
        }
        return errors;
    }
}
