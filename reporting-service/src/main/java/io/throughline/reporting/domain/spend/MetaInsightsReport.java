package io.throughline.reporting.domain.spend;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Set;

/**
 * A Meta Marketing API Insights answer ({@code GET /act_<id>/insights} with {@code time_increment=1}): {@code data}
 * holds one object per day and object, with {@code date_start} = {@code date_stop}, {@code account_id},
 * {@code account_currency}, {@code campaign_id / campaign_name}, {@code adset_id / adset_name}, {@code impressions},
 * {@code clicks}, {@code spend} (a decimal string in the account currency) and {@code actions} (a list of
 * {@code {action_type, value}}; lead actions count as the platform's conversions). Meta has no keywords. A row
 * spanning several days is refused: spend must be daily to be replaced by day.
 */
public final class MetaInsightsReport {

    /** Action types that are the ad cabinet's leads. */
    static final Set<String> LEAD_ACTIONS = Set.of("lead", "onsite_conversion.lead_grouped", "offsite_conversion.fb_pixel_lead",
            "onsite_web_lead");

    private MetaInsightsReport() {
    }

    public static SpendFile parse(String text, String account, String currency, Platforms platforms, LocalDate today) {
        JsonNode root = JsonReports.read(text, "Meta Insights");
        JsonNode data = root.isArray() ? root : root.get("data");
        if (data == null || !data.isArray()) {
            throw new IllegalArgumentException("not a Meta Insights answer: expected {\"data\": [...]}");
        }
        SpendRows rows = new SpendRows(platforms, today);
        int position = 0;
        for (JsonNode r : data) {
            SpendRows.Row row = rows.row(++position);
            row.platform = Platforms.META;
            String start = JsonReports.text(r, "date_start");
            String stop = JsonReports.text(r, "date_stop");
            if (!stop.isEmpty() && !stop.equals(start)) {
                row.fail("date_stop", "differs from date_start: ask for daily rows (time_increment=1)");
            }
            row.day("date_start", start);
            String acct = JsonReports.text(r, "account_id");
            row.account = row.text("account_id", acct.isEmpty() ? account : acct, false);
            String code = JsonReports.text(r, "account_currency");
            row.currency(code.isEmpty() ? "currency" : "account_currency", code.isEmpty() ? currency : code);
            row.campaignId = row.text("campaign_id", JsonReports.text(r, "campaign_id"), false);
            row.campaignName = row.text("campaign_name", JsonReports.text(r, "campaign_name"), false);
            String adset = JsonReports.text(r, "adset_id");
            row.adGroup = row.text("adset_id", adset.isEmpty() ? JsonReports.text(r, "adset_name") : adset, false);
            row.impressions = row.count("impressions", JsonReports.text(r, "impressions"));
            row.clicks = row.count("clicks", JsonReports.text(r, "clicks"));
            row.costMajor("spend", JsonReports.text(r, "spend"), false);
            BigDecimal leads = null;
            for (JsonNode a : r.path("actions")) {
                if (LEAD_ACTIONS.contains(JsonReports.text(a, "action_type"))) {
                    BigDecimal v = row.decimal("actions.value", JsonReports.text(a, "value"), false);
                    leads = v == null ? leads : leads == null ? v : leads.add(v);
                }
            }
            row.conversions = leads;
            row.done();
        }
        return rows.result();
    }
}
