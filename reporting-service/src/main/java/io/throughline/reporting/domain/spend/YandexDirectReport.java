package io.throughline.reporting.domain.spend;

import java.io.IOException;
import java.io.StringReader;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A Yandex Direct Reports API (v5) report as the service returns it: TSV in UTF-8, an optional first row with the
 * report name and period, a row of field names, the statistics, and an optional last row {@code Total rows: N}
 * (checked against what was read). Fields used: {@code Date, CampaignId, CampaignName, AdGroupId, AdGroupName,
 * Criterion} (the keyword; its minus-words are cut, as {@code {keyword}} in utm_term carries none), {@code Impressions,
 * Clicks, Cost, Conversions}. Money comes in millionths of the account currency unless the report was asked with
 * {@code returnMoneyInMicros: false}; "--" is an empty value. The report carries neither the account nor its
 * currency: the import names them.
 */
public final class YandexDirectReport {

    private YandexDirectReport() {
    }

    public static SpendFile parse(String text, String account, String currency, boolean moneyInMicros, Platforms platforms, LocalDate today) {
        List<String> lines = (text.startsWith("\uFEFF") ? text.substring(1) : text).lines().toList();
        int header = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("\t")) {
                header = i;
                break;
            }
        }
        if (header < 0) {
            throw new IllegalArgumentException("no row of field names (tab-separated) was found: is this a Yandex Direct TSV report?");
        }
        int end = lines.size();
        Integer declared = null;
        for (int i = lines.size() - 1; i > header; i--) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                end = i;
                continue;
            }
            if (line.startsWith("Total rows:") || line.startsWith("Всего строк:")) {
                try {
                    declared = Integer.parseInt(line.substring(line.indexOf(':') + 1).strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("line " + (i + 1) + ": the summary row is not \"Total rows: N\"");
                }
                end = i;
            }
            break;
        }
        String body = String.join("\n", lines.subList(header, end));
        CSVFormat tsv = CSVFormat.TDF.builder().setQuote(null).setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(false).setTrim(true).get();
        SpendRows rows = new SpendRows(platforms, today);
        try (CSVParser parser = CSVParser.parse(new StringReader(body), tsv)) {
            Map<String, Integer> columns = new HashMap<>(parser.getHeaderMap());
            for (String required : new String[] {"Date", "Cost"}) {
                if (!columns.containsKey(required)) {
                    throw new IllegalArgumentException("line " + (header + 1) + ": the report has no " + required + " field (FieldNames must include it)");
                }
            }
            if (!columns.containsKey("CampaignId") && !columns.containsKey("CampaignName")) {
                throw new IllegalArgumentException("line " + (header + 1) + ": the report has neither CampaignId nor CampaignName");
            }
            for (CSVRecord r : parser) {
                int line = header + (int) parser.getCurrentLineNumber();
                SpendRows.Row row = rows.row(line);
                if (r.size() != columns.size()) {
                    row.fail("line", "has " + r.size() + " fields, the header " + columns.size());
                    row.done();
                    continue;
                }
                row.platform = Platforms.YANDEX_DIRECT;
                row.account = row.text("account", account, false);
                row.day("Date", get(r, columns, "Date"));
                row.currency("currency", currency);
                row.campaignId = row.text("CampaignId", get(r, columns, "CampaignId"), false);
                row.campaignName = row.text("CampaignName", get(r, columns, "CampaignName"), false);
                String group = row.text("AdGroupId", get(r, columns, "AdGroupId"), false);
                row.adGroup = group.isEmpty() ? row.text("AdGroupName", get(r, columns, "AdGroupName"), false) : group;
                row.keyword = keyword(row.text("Criterion", get(r, columns, "Criterion"), false));
                row.impressions = row.count("Impressions", get(r, columns, "Impressions"));
                row.clicks = row.count("Clicks", get(r, columns, "Clicks"));
                if (moneyInMicros) {
                    row.costMicros("Cost", get(r, columns, "Cost"));
                } else {
                    row.costMajor("Cost", get(r, columns, "Cost"), false);
                }
                row.conversions = row.decimal("Conversions", get(r, columns, "Conversions"), false);
                row.done();
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new IllegalArgumentException("the report cannot be read: " + e.getMessage());
        }
        SpendFile file = rows.result();
        if (declared != null && declared != file.read()) {
            throw new IllegalArgumentException("the report says it has " + declared + " rows but " + file.read()
                    + " were found: it is incomplete, nothing was imported");
        }
        return file;
    }

    /** "купить диван -бесплатно -дешево" is the keyword "купить диван"; autotargeting has no keyword. */
    static String keyword(String criterion) {
        if (criterion.startsWith("---")) {
            return "";
        }
        int minus = criterion.indexOf(" -");
        return (minus < 0 ? criterion : criterion.substring(0, minus)).strip();
    }

    private static String get(CSVRecord r, Map<String, Integer> columns, String name) {
        Integer i = columns.get(name);
        return i == null || i >= r.size() ? "" : r.get(i);
    }
}
