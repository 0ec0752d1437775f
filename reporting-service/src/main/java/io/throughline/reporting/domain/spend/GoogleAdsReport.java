package io.throughline.reporting.domain.spend;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A Google Ads API report as {@code googleAds:searchStream} returns it over REST: a JSON array of batches, each with
 * {@code results} (a plain {@code googleAds:search} page, one object with {@code results}, is read too). A row is a
 * GoogleAdsRow in JSON (lowerCamelCase; snake_case is accepted): {@code segments.date}, {@code campaign.id / name},
 * {@code adGroup.id / name}, {@code adGroupCriterion.keyword.text} (keyword_view queries), {@code metrics.impressions,
 * clicks, costMicros, conversions}, and when selected {@code customer.id} and {@code customer.currencyCode}. The
 * account and currency given with the import fill in what the query did not select. A row's "line" is its
 * position in the report (1-based, across batches).
 */
public final class GoogleAdsReport {

    private GoogleAdsReport() {
    }

    public static SpendFile parse(String text, String account, String currency, Platforms platforms, LocalDate today) {
        JsonNode root = JsonReports.read(text, "Google Ads searchStream");
        List<JsonNode> results = new ArrayList<>();
        if (root.isArray()) {
            for (JsonNode batch : root) {
                batch.path("results").forEach(results::add);
            }
        } else if (root.has("results")) {
            root.path("results").forEach(results::add);
        } else {
            throw new IllegalArgumentException("not a Google Ads searchStream answer: expected an array of batches with \"results\"");
        }
        SpendRows rows = new SpendRows(platforms, today);
        int position = 0;
        for (JsonNode r : results) {
            SpendRows.Row row = rows.row(++position);
            if (!r.isObject()) {
                row.fail("results", "is not a GoogleAdsRow object");
                row.done();
                continue;
            }
            row.platform = Platforms.GOOGLE_ADS;
            String customer = JsonReports.text(r, "customer.id");
            if (customer.isEmpty()) {
                String resource = JsonReports.text(r, "campaign.resourceName", "campaign.resource_name");
                if (resource.startsWith("customers/")) {
                    customer = resource.substring("customers/".length()).split("/", 2)[0];
                }
            }
            row.account = row.text("customer.id", customer.isEmpty() ? account : customer, false);
            row.day("segments.date", JsonReports.text(r, "segments.date"));
            String code = JsonReports.text(r, "customer.currencyCode", "customer.currency_code");
            row.currency(code.isEmpty() ? "currency" : "customer.currencyCode", code.isEmpty() ? currency : code);
            row.campaignId = row.text("campaign.id", JsonReports.text(r, "campaign.id"), false);
            row.campaignName = row.text("campaign.name", JsonReports.text(r, "campaign.name"), false);
            String group = JsonReports.text(r, "adGroup.id", "ad_group.id");
            row.adGroup = row.text("adGroup.id", group.isEmpty() ? JsonReports.text(r, "adGroup.name", "ad_group.name") : group, false);
            row.keyword = row.text("adGroupCriterion.keyword.text", JsonReports.text(r, "adGroupCriterion.keyword.text",
                    "ad_group_criterion.keyword.text"), false);
            row.impressions = row.count("metrics.impressions", JsonReports.text(r, "metrics.impressions"));
            row.clicks = row.count("metrics.clicks", JsonReports.text(r, "metrics.clicks"));
            String micros = JsonReports.text(r, "metrics.costMicros", "metrics.cost_micros");
            row.costMicros("metrics.costMicros", micros.isEmpty() ? "0" : micros);
            row.conversions = row.decimal("metrics.conversions", JsonReports.text(r, "metrics.conversions"), false);
            row.done();
        }
        return rows.result();
    }
}
