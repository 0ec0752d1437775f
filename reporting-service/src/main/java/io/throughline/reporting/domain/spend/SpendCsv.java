package io.throughline.reporting.domain.spend;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Throughline's own spend CSV: a header row naming the columns (any order, case-insensitive), comma or semicolon
 * separated (Excel's choice in locales with comma decimals: with semicolons, "1234,50" is read as 1234.50). Columns:
 * {@code day, platform, account, campaign_id, campaign, ad_group, keyword, impressions, clicks, cost, currency,
 * conversions, utm_source, utm_medium, channel}; required: day, platform, campaign or campaign_id, cost, currency.
 */
public final class SpendCsv {

    public static final Set<String> COLUMNS = Set.of("day", "platform", "account", "campaign_id", "campaign", "ad_group", "keyword", "impressions",
            "clicks", "cost", "currency", "conversions", "utm_source", "utm_medium", "channel");

    private SpendCsv() {
    }

    public static SpendFile parse(String text, Platforms platforms, LocalDate today) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        String firstLine = body.lines().findFirst().orElse("");
        char delimiter = firstLine.chars().filter(c -> c == ';').count() > firstLine.chars().filter(c -> c == ',').count() ? ';' : ',';
        return parse(new StringReader(body), delimiter, platforms, today);
    }

    private static SpendFile parse(Reader reader, char delimiter, Platforms platforms, LocalDate today) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true)
                .setTrim(true).get();
        SpendRows rows = new SpendRows(platforms, today);
        try (CSVParser parser = CSVParser.parse(reader, format)) {
            Map<String, Integer> header = new java.util.HashMap<>();
            parser.getHeaderMap().forEach((k, v) -> header.put(k.strip().toLowerCase(Locale.ROOT), v));
            for (String required : new String[] {"day", "platform", "cost", "currency"}) {
                if (!header.containsKey(required)) {
                    throw new IllegalArgumentException("the header has no \"" + required + "\" column (columns: " + String.join(", ", new java.util.TreeSet<>(COLUMNS)) + ")");
                }
            }
            if (!header.containsKey("campaign") && !header.containsKey("campaign_id")) {
                throw new IllegalArgumentException("the header has neither a \"campaign\" nor a \"campaign_id\" column");
            }
            for (String column : header.keySet()) {
                if (!COLUMNS.contains(column)) {
                    throw new IllegalArgumentException("unknown column \"" + column + "\" (columns: " + String.join(", ", new java.util.TreeSet<>(COLUMNS)) + ")");
                }
            }
            boolean commaDecimals = delimiter == ';';
            for (CSVRecord r : parser) {
                SpendRows.Row row = rows.row((int) parser.getCurrentLineNumber());
                if (!r.isConsistent()) {
                    row.fail("line", "has " + r.size() + " fields, the header " + header.size());
                    row.done();
                    continue;
                }
                row.day("day", get(r, header, "day"));
                String platform = get(r, header, "platform").toLowerCase(Locale.ROOT);
                if (!Platforms.validCode(platform)) {
                    row.fail("platform", "must be a platform code such as yandex_direct, google_ads, meta, vk_ads");
                } else {
                    row.platform = platform;
                }
                row.account = row.text("account", get(r, header, "account"), false);
                row.campaignId = row.text("campaign_id", get(r, header, "campaign_id"), false);
                row.campaignName = row.text("campaign", get(r, header, "campaign"), false);
                row.adGroup = row.text("ad_group", get(r, header, "ad_group"), false);
                row.keyword = row.text("keyword", get(r, header, "keyword"), false);
                row.impressions = row.count("impressions", get(r, header, "impressions"));
                row.clicks = row.count("clicks", get(r, header, "clicks"));
                row.currency("currency", get(r, header, "currency"));
                row.costMajor("cost", get(r, header, "cost"), commaDecimals);
                row.conversions = row.decimal("conversions", get(r, header, "conversions"), commaDecimals);
                row.source = row.text("utm_source", get(r, header, "utm_source"), false);
                row.medium = row.text("utm_medium", get(r, header, "utm_medium"), false);
                row.channel = row.text("channel", get(r, header, "channel"), false);
                row.done();
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new IllegalArgumentException("the CSV cannot be read: " + e.getMessage());
        }
        return rows.result();
    }

    private static String get(CSVRecord r, Map<String, Integer> header, String column) {
        Integer i = header.get(column);
        return i == null || i >= r.size() ? "" : r.get(i);
    }
}
