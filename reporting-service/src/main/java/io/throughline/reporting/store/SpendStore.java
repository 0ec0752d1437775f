package io.throughline.reporting.store;

import io.throughline.commons.sql.Sql;
import io.throughline.reporting.domain.spend.SpendRow;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntConsumer;
import javax.sql.DataSource;

/**
 * Ad spend. An import replaces, in one transaction, every day of every platform account it holds: the rows it
 * brings become that day's spend (rows of the day it no longer has are removed), nothing else changes, and a failure
 * half-way leaves what was there before. Rows of one file with the same natural key are one row (their figures add
 * up: a report split by ad, for example).
 */
@ApplicationScoped
public class SpendStore {

    /** What an import did to stored spend. */
    public record Outcome(int inserted, int replaced, int removed) {
    }

    /** A stored row, for listing. */
    public record Stored(LocalDate day, String platform, String account, String campaignId, String campaignName, String campaign, String adGroup,
            String keyword, String source, String medium, String channel, long impressions, long clicks, long costMinor, String currency,
            BigDecimal conversions) {
    }

    private final DataSource db;

    public SpendStore(DataSource db) {
        this.db = db;
    }

    /** Merges rows with the same natural key (figures add up), keeping the first row's place. */
    public static List<SpendRow> merged(List<SpendRow> rows) {
        Map<String, SpendRow> byKey = new LinkedHashMap<>();
        for (SpendRow r : rows) {
            byKey.merge(r.key(), r, (a, b) -> new SpendRow(a.line(), a.day(), a.platform(), a.account(), a.campaignId(), a.campaignName(),
                    a.campaign(), a.adGroup(), a.keyword(), a.source(), a.medium(), a.channel(), a.impressions() + b.impressions(),
                    a.clicks() + b.clicks(), a.costMinor() + b.costMinor(), a.currency(),
                    a.platformConversions() == null ? b.platformConversions()
                            : b.platformConversions() == null ? a.platformConversions() : a.platformConversions().add(b.platformConversions())));
        }
        return new ArrayList<>(byKey.values());
    }

    public Outcome replace(String tenantId, UUID importId, List<SpendRow> rows, int batch, IntConsumer progress) {
        List<SpendRow> merged = merged(rows);
        Set<List<Object>> scope = new HashSet<>();
        merged.forEach(r -> scope.add(List.of(r.platform(), r.account(), r.day())));
        String[] platforms = scope.stream().map(s -> (String) s.get(0)).toArray(String[]::new);
        String[] accounts = scope.stream().map(s -> (String) s.get(1)).toArray(String[]::new);
        Date[] days = scope.stream().map(s -> Date.valueOf((LocalDate) s.get(2))).toArray(Date[]::new);
        return Sql.transaction(db, c -> {
            Sql.query(c, "SELECT pg_advisory_xact_lock(hashtext(?))", rs -> null, "spend/" + tenantId);
            Set<String> existing = new HashSet<>();
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT day, platform, account, campaign_id, ad_group, keyword FROM ad_spend
                     WHERE tenant_id = ? AND (platform, account, day) IN (SELECT * FROM unnest(?, ?, ?))""")) {
                s.setString(1, tenantId);
                s.setArray(2, c.createArrayOf("text", platforms));
                s.setArray(3, c.createArrayOf("text", accounts));
                s.setArray(4, c.createArrayOf("date", days));
                try (var rs = s.executeQuery()) {
                    while (rs.next()) {
                        existing.add(rs.getDate(1).toLocalDate() + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4) + "|"
                                + rs.getString(5) + "|" + rs.getString(6));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM ad_spend WHERE tenant_id = ? AND (platform, account, day) IN (SELECT * FROM unnest(?, ?, ?))")) {
                s.setString(1, tenantId);
                s.setArray(2, c.createArrayOf("text", platforms));
                s.setArray(3, c.createArrayOf("text", accounts));
                s.setArray(4, c.createArrayOf("date", days));
                s.executeUpdate();
            }
            int replaced = 0;
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO ad_spend (tenant_id, day, platform, account, campaign_id, ad_group, keyword, campaign_name, campaign, source, medium, channel,
                        impressions, clicks, cost_minor, currency, conversions, import_id, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())""")) {
                int n = 0;
                for (SpendRow r : merged) {
                    if (existing.contains(r.key())) {
                        replaced++;
                    }
                    Object[] values = {tenantId, Date.valueOf(r.day()), r.platform(), r.account(), r.campaignId(), r.adGroup(), r.keyword(),
                            r.campaignName(), r.campaign(), r.source(), r.medium(), r.channel(), r.impressions(), r.clicks(), r.costMinor(), r.currency(),
                            r.platformConversions(), importId};
                    for (int i = 0; i < values.length; i++) {
                        s.setObject(i + 1, values[i]);
                    }
                    s.addBatch();
                    if (++n % batch == 0) {
                        s.executeBatch();
                        progress.accept(n);
                    }
                }
                s.executeBatch();
                progress.accept(n);
            }
            MonthTwins.touched(c, "ad_spend", tenantId, scope.stream().map(k -> (LocalDate) k.get(2)).toList());
            return new Outcome(merged.size() - replaced, replaced, existing.size() - replaced);
        });
    }

    /** Spend in [from, to] in key order, after the given key; for listing. */
    public List<Stored> page(String tenantId, LocalDate from, LocalDate to, String platform, String afterKey, int limit) {
        String[] after = afterKey == null ? new String[] {"0001-01-01", "", "", "", "", ""} : afterKey.split("\n", 6);
        return Sql.transaction(db, c -> Sql.query(c, """
                SELECT * FROM ad_spend WHERE tenant_id = ? AND day BETWEEN ? AND ? AND (CAST(? AS text) IS NULL OR platform = ?)
                   AND (day, platform, account, campaign_id, ad_group, keyword) > (CAST(? AS date), ?, ?, ?, ?, ?)
                 ORDER BY day, platform, account, campaign_id, ad_group, keyword LIMIT ?""", rs -> new Stored(rs.getDate("day").toLocalDate(),
                rs.getString("platform"), rs.getString("account"), rs.getString("campaign_id"), rs.getString("campaign_name"), rs.getString("campaign"),
                rs.getString("ad_group"), rs.getString("keyword"), rs.getString("source"), rs.getString("medium"), rs.getString("channel"),
                rs.getLong("impressions"), rs.getLong("clicks"), rs.getLong("cost_minor"), rs.getString("currency").trim(), rs.getBigDecimal("conversions")),
                tenantId, from, to, platform, platform, after[0], after[1], after[2], after[3], after[4], after[5], limit));
    }

    public static String keyOf(Stored s) {
        return s.day() + "\n" + s.platform() + "\n" + s.account() + "\n" + s.campaignId() + "\n" + s.adGroup() + "\n" + s.keyword();
    }

    /** The currencies spend of the workspace is in, and since when (what rates it needs). */
    public Map<String, LocalDate> currencies(String tenantId) {
        return Sql.transaction(db, c -> {
            Map<String, LocalDate> out = new LinkedHashMap<>();
            Sql.query(c, "SELECT currency, min(day) AS since FROM ad_spend WHERE tenant_id = ? GROUP BY currency", rs -> out.put(rs.getString(1).trim(),
                    rs.getDate(2).toLocalDate()), tenantId);
            return out;
        });
    }
}
