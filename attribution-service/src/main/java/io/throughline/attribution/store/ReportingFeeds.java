package io.throughline.attribution.store;

import io.throughline.attribution.domain.FunnelStage;
import io.throughline.attribution.domain.journeys.AttributionSettings;
import io.throughline.commons.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What reporting-service reads to keep its aggregates: the newest finished version of every series, a version's
 * credit totals per day and campaign keys (in full, or as the change since an earlier version: the lines versions
 * after it added minus the lines they closed, exactly what a version's visibility rule makes of them), a version's
 * journeys, and deals in the order they changed. Large answers stream from a cursor instead of being held.
 */
@ApplicationScoped
public class ReportingFeeds {

    /** The newest finished version of one series. */
    public record SeriesVersion(String tenantId, String series, String model, int version, UUID runId, Instant cutoff, String conversionEvent,
            boolean full) {
    }

    /** Totals of one day and campaign key set, in minor units of the currency (fractional, may be negative in a change). */
    public record Total(String day, String channel, String source, String medium, String campaign, String keyword, String currency, double conversions,
            BigDecimal revenueMinor, BigDecimal grossProfitMinor, double paidDeals, double newCustomers) {
    }

    public record JourneyRow(UUID dealId, String personKey, int touches, String channel, String source, String medium, String campaign, String keyword,
            boolean hasClickId, Instant conversionAt, boolean newCustomer) {
    }

    public record Stage(String stage, String canonical, Instant enteredAt) {
    }

    public record Payment(String id, long amountMinor, Instant paidAt) {
    }

    public record DealChange(UUID id, String tenantId, String crm, Instant createdAt, Instant feedAt, String status, String furthestStage,
            String lossReason, String manager, String productLine, String currency, long amountMinor, double grossRatio, List<Stage> stages,
            List<Payment> payments, String personId, String verdict) {
    }

    private static final String TOTALS = """
            SELECT CAST(timezone(?, c.event_at) AS date) AS day, c.channel, c.source, c.medium, c.campaign, c.keyword, c.currency,
                   sum(%1$s c.conversions) AS conversions, sum(%1$s c.revenue_minor) AS revenue, sum(%1$s c.gross_profit_minor) AS gross,
                   sum(CASE WHEN c.event = 'payment' AND c.event_id = d.first_payment_id THEN %1$s c.weight ELSE 0 END) AS paid,
                   sum(CASE WHEN c.event = 'payment' AND c.event_id = d.first_payment_id AND d.new_customer THEN %1$s c.weight ELSE 0 END) AS fresh
              FROM run_credits c JOIN run_deals d ON d.run_id = c.run_id AND d.deal_id = c.deal_id
             WHERE c.tenant_id = ? AND c.series = ? AND %2$s
             GROUP BY 1, 2, 3, 4, 5, 6, 7""";

    private final DataSource db;
    private final SettingsStore settings;
    private final double lagSeconds;

    public ReportingFeeds(DataSource db, SettingsStore settings,
            @ConfigProperty(name = "throughline.attribution.feed-lag", defaultValue = "PT5S") java.time.Duration lag) {
        this.db = db;
        this.settings = settings;
        this.lagSeconds = lag.toMillis() / 1000.0;
    }

    /** The newest finished version of every series of the workspace (of all workspaces when null). */
    public List<SeriesVersion> series(String tenantId) {
        return Sql.transaction(db, c -> Sql.query(c, """
                SELECT DISTINCT ON (tenant_id, series) tenant_id, series, model, version, id, cutoff, conversion_event, base_run_id IS NULL AS full
                  FROM attribution_runs WHERE status = 'done' AND (CAST(? AS text) IS NULL OR tenant_id = ?)
                 ORDER BY tenant_id, series, version DESC""", rs -> new SeriesVersion(rs.getString("tenant_id"), rs.getString("series"),
                rs.getString("model"), rs.getInt("version"), rs.getObject("id", UUID.class), Sql.instant(rs, "cutoff"), rs.getString("conversion_event"),
                rs.getBoolean("full")), tenantId, tenantId));
    }

    public AttributionSettings settings(String tenantId) {
        return settings.get(tenantId);
    }

    /** The version's totals, all of them, or what changed since {@code after} (an older version of the same series). */
    public void totals(SeriesVersion v, int after, boolean full, String zone, Consumer<Total> sink) {
        String sign = full ? "" : "CASE WHEN c.from_version > " + after + " THEN 1 ELSE -1 END *";
        String where = full ? "c.from_version <= ? AND (c.to_version IS NULL OR c.to_version > ?)"
                : "((c.from_version > ? AND c.from_version <= ? AND (c.to_version IS NULL OR c.to_version > ?))"
                        + " OR (c.from_version <= ? AND c.to_version > ? AND c.to_version <= ?))";
        Object[] params = full ? new Object[] {zone, v.tenantId(), v.series(), v.version(), v.version()}
                : new Object[] {zone, v.tenantId(), v.series(), after, v.version(), v.version(), after, after, v.version()};
        stream(String.format(TOTALS, sign, where), rs -> {
            BigDecimal revenue = rs.getBigDecimal("revenue");
            BigDecimal gross = rs.getBigDecimal("gross");
            double conversions = rs.getDouble("conversions");
            double paid = rs.getDouble("paid");
            double fresh = rs.getDouble("fresh");
            if (full || revenue.signum() != 0 || gross.signum() != 0 || conversions != 0 || paid != 0 || fresh != 0) {
                sink.accept(new Total(rs.getString("day"), rs.getString("channel"), rs.getString("source"), rs.getString("medium"),
                        rs.getString("campaign"), rs.getString("keyword"), rs.getString("currency"), conversions, revenue, gross, paid, fresh));
            }
        }, params);
    }

    /** The version's journeys: all of them, or those of deals recomputed by versions after {@code after}. */
    public void journeys(SeriesVersion v, int after, boolean full, Consumer<JourneyRow> sink) {
        stream("SELECT * FROM run_deals WHERE tenant_id = ? AND series = ? AND from_version <= ? AND (to_version IS NULL OR to_version > ?)"
                + (full ? "" : " AND from_version > " + after), rs -> sink.accept(new JourneyRow(rs.getObject("deal_id", UUID.class),
                rs.getString("person_key"), rs.getInt("touches"), rs.getString("lead_channel"), rs.getString("lead_source"), rs.getString("lead_medium"),
                rs.getString("lead_campaign"), rs.getString("lead_keyword"), rs.getBoolean("lead_has_click_id"), Sql.instant(rs, "conversion_at"),
                rs.getBoolean("new_customer"))), v.tenantId(), v.series(), v.version(), v.version());
    }

    /**
     * Up to {@code limit} deals changed after (feed_at, id), oldest change first, a little behind the clock (a change
     * still in its transaction must not be passed by a reader's cursor).
     */
    public List<DealChange> dealChanges(Instant afterFeed, UUID afterId, int limit) {
        return Sql.transaction(db, c -> {
            List<Object[]> rows = Sql.query(c, """
                    SELECT id, tenant_id, crm, COALESCE(crm_created_at, crm_updated_at) AS created_at, feed_at, status, canonical_stage, loss_reason,
                           manager, product_line, currency, amount_minor, cost_minor, person_id, verdict
                      FROM deals WHERE (feed_at, id) > (?, ?) AND feed_at < clock_timestamp() - make_interval(secs => ?) ORDER BY feed_at, id LIMIT ?""",
                    rs -> new Object[] {rs.getObject("id", UUID.class), rs.getString("tenant_id"), rs.getString("crm"), Sql.instant(rs, "created_at"),
                            Sql.instant(rs, "feed_at"), rs.getString("status"), rs.getString("canonical_stage"), rs.getString("loss_reason"),
                            rs.getString("manager"), rs.getString("product_line"), rs.getString("currency"), rs.getLong("amount_minor"),
                            rs.getObject("cost_minor"), rs.getString("person_id"), rs.getString("verdict")}, afterFeed, afterId, lagSeconds, limit);
            UUID[] ids = rows.stream().map(r -> (UUID) r[0]).toArray(UUID[]::new);
            Map<UUID, List<Stage>> stages = new HashMap<>();
            Sql.query(c, "SELECT * FROM deal_stages WHERE deal_id = ANY(?) ORDER BY entered_at, stage", rs -> stages.computeIfAbsent(
                    rs.getObject("deal_id", UUID.class), k -> new ArrayList<>()).add(new Stage(rs.getString("stage"), rs.getString("canonical_stage"),
                    Sql.instant(rs, "entered_at"))), (Object) ids);
            Map<UUID, List<Payment>> payments = new HashMap<>();
            Sql.query(c, "SELECT * FROM deal_payments WHERE deal_id = ANY(?) ORDER BY paid_at, external_id", rs -> payments.computeIfAbsent(
                    rs.getObject("deal_id", UUID.class), k -> new ArrayList<>()).add(new Payment(rs.getString("external_id"), rs.getLong("amount_minor"),
                    Sql.instant(rs, "paid_at"))), (Object) ids);
            Map<String, AttributionSettings> byTenant = new HashMap<>();
            List<DealChange> out = new ArrayList<>(rows.size());
            for (Object[] r : rows) {
                UUID id = (UUID) r[0];
                List<Stage> s = stages.getOrDefault(id, List.of());
                List<Payment> p = payments.getOrDefault(id, List.of());
                Set<String> seen = new HashSet<>();
                s.forEach(x -> {
                    if (x.canonical() != null) {
                        seen.add(x.canonical());
                    }
                });
                if (r[6] != null) {
                    seen.add((String) r[6]);
                }
                boolean paid = p.stream().anyMatch(x -> x.amountMinor() > 0);
                AttributionSettings tenantSettings = byTenant.computeIfAbsent((String) r[1], settings::get);
                Long cost = r[12] == null ? null : ((Number) r[12]).longValue();
                out.add(new DealChange(id, (String) r[1], (String) r[2], (Instant) r[3], (Instant) r[4], (String) r[5],
                        FunnelStage.furthest(seen, (String) r[5], paid).code(), (String) r[7], (String) r[8], (String) r[9], (String) r[10],
                        (Long) r[11], tenantSettings.grossRatio(cost, (Long) r[11], (String) r[9]), s, p, (String) r[13], (String) r[14]));
            }
            return out;
        });
    }

    private interface RowSink {
        void accept(ResultSet rs) throws SQLException;
    }

    private void stream(String sql, RowSink sink, Object... params) {
        Sql.transaction(db, c -> {
            try (PreparedStatement s = Sql.prepare(c, sql, params)) {
                s.setFetchSize(2000);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(rs);
                    }
                }
            }
            return null;
        });
    }

}
