package io.throughline.attribution.store;

import io.throughline.attribution.domain.FunnelStage;
import io.throughline.commons.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Reads of finished runs: credits summed by any of channel, source, medium, campaign, keyword and click-id presence
 * (per currency), and the funnel: deals per canonical stage reached, by the keys of the touch that created the lead.
 */
@ApplicationScoped
public class CreditQueries {

    /** Group keys and their columns (a whitelist: keys never reach SQL as given). */
    public static final Map<String, String> KEYS = keys();

    public record CreditRow(Map<String, String> keys, String currency, double conversions, long revenueMinor, long grossProfitMinor) {
    }

    public record FunnelRow(Map<String, String> keys, String stage, String lossReason, long deals) {
    }

    private final DataSource db;

    public CreditQueries(DataSource db) {
        this.db = db;
    }

    /** Credits of events in [from, to) (either open), summed by the keys and currency, in key order. */
    public List<CreditRow> credits(Runs.Run run, List<String> groupBy, Instant from, Instant to) {
        List<String> columns = groupBy.stream().map(KEYS::get).toList();
        String select = columns.isEmpty() ? "" : String.join(", ", columns) + ", ";
        String sql = "SELECT " + select + "currency, sum(conversions) AS conversions, sum(revenue_minor) AS revenue, sum(gross_profit_minor) AS gross"
                + " FROM run_credits WHERE " + Runs.VISIBLE + " AND (CAST(? AS timestamptz) IS NULL OR event_at >= ?)"
                + " AND (CAST(? AS timestamptz) IS NULL OR event_at < ?) GROUP BY " + select + "currency ORDER BY " + select + "currency";
        return Sql.transaction(db, c -> Sql.query(c, sql, rs -> {
            Map<String, String> keys = new LinkedHashMap<>();
            for (int i = 0; i < groupBy.size(); i++) {
                keys.put(groupBy.get(i), rs.getString(i + 1));
            }
            return new CreditRow(keys, rs.getString("currency"), rs.getDouble("conversions"), whole(rs.getBigDecimal("revenue")),
                    whole(rs.getBigDecimal("gross")));
        }, run.tenantId(), run.series(), run.version(), run.version(), from, from, to, to));
    }

    private record DealStages(UUID id, String status, String lossReason, String current, Set<String> history, boolean paid) {
    }

    /**
     * Deals created in [from, to): each counts once in every stage up to the furthest it reached (lead, qualified,
     * proposal, invoice, won, paid; a payment means paid) and, when lost, once under lost with its loss reason.
     * Grouped by the lead-creation touch of the run's journey ("(not attributed)" when the run did not see it).
     */
    public List<FunnelRow> funnel(String tenantId, Runs.Run run, List<String> groupBy, Instant from, Instant to) {
        return Sql.transaction(db, c -> {
            Map<UUID, Map<String, String>> leadKeys = new java.util.HashMap<>();
            if (run != null) {
                Sql.query(c, "SELECT * FROM run_deals WHERE " + Runs.VISIBLE, rs -> {
                    Map<String, String> keys = new LinkedHashMap<>();
                    for (String k : groupBy) {
                        keys.put(k, k.equals("has_click_id") ? String.valueOf(rs.getBoolean("lead_has_click_id")) : rs.getString("lead_" + k));
                    }
                    return leadKeys.put(rs.getObject("deal_id", UUID.class), keys);
                }, Runs.visible(run));
            }
            List<DealStages> deals = Sql.query(c, """
                    SELECT d.id, d.status, d.loss_reason, d.canonical_stage,
                           ARRAY(SELECT DISTINCT s.canonical_stage FROM deal_stages s WHERE s.deal_id = d.id AND s.canonical_stage IS NOT NULL) AS history,
                           EXISTS (SELECT 1 FROM deal_payments p WHERE p.deal_id = d.id AND p.amount_minor > 0) AS paid
                      FROM deals d WHERE d.tenant_id = ? AND (CAST(? AS timestamptz) IS NULL OR COALESCE(d.crm_created_at, d.crm_updated_at) >= ?)
                       AND (CAST(? AS timestamptz) IS NULL OR COALESCE(d.crm_created_at, d.crm_updated_at) < ?)""", rs -> new DealStages(
                    rs.getObject("id", UUID.class), rs.getString("status"), rs.getString("loss_reason"), rs.getString("canonical_stage"),
                    new HashSet<>(List.of(strings(rs.getArray("history")))), rs.getBoolean("paid")), tenantId, from, from, to, to);
            Map<List<String>, long[]> counts = new TreeMap<>(CreditQueries::compare);
            Map<String, String> unattributed = new LinkedHashMap<>();
            groupBy.forEach(k -> unattributed.put(k, "(not attributed)"));
            for (DealStages d : deals) {
                Map<String, String> keys = leadKeys.getOrDefault(d.id(), unattributed);
                int reached = reached(d);
                for (FunnelStage s : FunnelStage.values()) {
                    if (s != FunnelStage.LOST && s.ordinal() <= reached) {
                        counts.computeIfAbsent(key(keys, s.code(), ""), k -> new long[1])[0]++;
                    }
                }
                if ("lost".equals(d.status()) || "lost".equals(d.current())) {
                    counts.computeIfAbsent(key(keys, "lost", d.lossReason() == null ? "" : d.lossReason()), k -> new long[1])[0]++;
                }
            }
            List<FunnelRow> out = new ArrayList<>();
            counts.forEach((k, n) -> {
                Map<String, String> keys = new LinkedHashMap<>();
                for (int i = 0; i < groupBy.size(); i++) {
                    keys.put(groupBy.get(i), k.get(i));
                }
                out.add(new FunnelRow(keys, k.get(groupBy.size()), k.get(groupBy.size() + 1), n[0]));
            });
            return out;
        });
    }

    private static long whole(java.math.BigDecimal minor) {
        return minor.setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
    }

    private static int reached(DealStages d) {
        Set<String> seen = new HashSet<>(d.history());
        if (d.current() != null) {
            seen.add(d.current());
        }
        return FunnelStage.furthest(seen, d.status(), d.paid()).ordinal();
    }

    private static List<String> key(Map<String, String> keys, String stage, String reason) {
        List<String> k = new ArrayList<>(keys.values());
        k.add(stage);
        k.add(reason);
        return k;
    }

    private static int compare(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static String[] strings(java.sql.Array array) throws SQLException {
        return array == null ? new String[0] : (String[]) array.getArray();
    }

    private static Map<String, String> keys() {
        Map<String, String> k = new LinkedHashMap<>();
        k.put("channel", "channel");
        k.put("source", "source");
        k.put("medium", "medium");
        k.put("campaign", "campaign");
        k.put("keyword", "keyword");
        k.put("has_click_id", "CAST(has_click_id AS text)");
        return Map.copyOf(k);
    }
}
