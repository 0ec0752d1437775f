package io.throughline.reporting.domain.spend;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.Map;

/**
 * A VK Ads statistics answer ({@code GET /api/v2/statistics/ad_plans/day.json}, the same shape for campaigns, ad
 * groups and banners): {@code items} holds one object per requested id with {@code rows}, one per date, each with
 * {@code date} and the {@code base} metrics {@code shows}, {@code clicks}, {@code spent} (a decimal string in the
 * account currency) and {@code goals}. The answer names objects by id only: {@code names} (id -> campaign name, read
 * by the connector from the ad plans list) fills in names; without it the id is the name too.
 */
public final class VkAdsReport {

    private VkAdsReport() {
    }

    public static SpendFile parse(String text, String account, String currency, Map<String, String> names, Platforms platforms, LocalDate today) {
        JsonNode root = JsonReports.read(text, "VK Ads statistics");
        JsonNode items = root.get("items");
        if (items == null || !items.isArray()) {
            throw new IllegalArgumentException("not a VK Ads statistics answer: expected {\"items\": [{\"id\", \"rows\": [...]}]}");
        }
        SpendRows rows = new SpendRows(platforms, today);
        int position = 0;
        for (JsonNode item : items) {
            String id = JsonReports.text(item, "id");
            JsonNode days = item.path("rows");
            if (!days.isArray()) {
                rows.reject(++position, "items.rows", "is not a list of daily rows");
                continue;
            }
            for (JsonNode r : days) {
                SpendRows.Row row = rows.row(++position);
                row.platform = Platforms.VK_ADS;
                row.account = row.text("account", account, false);
                row.day("date", JsonReports.text(r, "date"));
                row.currency("currency", currency);
                row.campaignId = row.text("id", id, true);
                row.campaignName = row.text("name", names.getOrDefault(id, id), false);
                row.impressions = row.count("base.shows", JsonReports.text(r, "base.shows"));
                row.clicks = row.count("base.clicks", JsonReports.text(r, "base.clicks"));
                row.costMajor("base.spent", JsonReports.text(r, "base.spent"), false);
                row.conversions = row.decimal("base.goals", JsonReports.text(r, "base.goals"), false);
                row.done();
            }
        }
        return rows.result();
    }
}
