package io.throughline.reporting.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.throughline.commons.sql.Sql;
import io.throughline.reporting.domain.ReportSettings;
import io.throughline.reporting.domain.metrics.Overheads;
import io.throughline.reporting.domain.spend.Platforms;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Each workspace's report settings and platform mappings; a workspace that never set any has the defaults. */
@ApplicationScoped
public class SettingsStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource db;

    public SettingsStore(DataSource db) {
        this.db = db;
    }

    public ReportSettings get(String tenantId) {
        return Sql.transaction(db, c -> get(c, tenantId));
    }

    static ReportSettings get(DataSource db, String tenantId) {
        return Sql.transaction(db, c -> get(c, tenantId));
    }

    static ReportSettings get(Connection c, String tenantId) throws SQLException {
        Map<String, Platforms.Mapping> mappings = new HashMap<>();
        Sql.query(c, "SELECT * FROM platform_mappings WHERE tenant_id = ?", rs -> mappings.put(rs.getString("platform"),
                new Platforms.Mapping(rs.getString("source"), rs.getString("medium"), rs.getString("channel"), rs.getBoolean("campaign_by_id"))),
                tenantId);
        Platforms platforms = new Platforms(mappings);
        List<ReportSettings> rows = Sql.query(c, "SELECT * FROM reporting_settings WHERE tenant_id = ?", rs -> new ReportSettings(
                rs.getString("currency").trim(), ZoneId.of(rs.getString("time_zone")), Overheads.Rule.fromCode(rs.getString("overhead_rule")).orElseThrow(),
                shares(rs.getString("fixed_shares")), ReportSettings.NaiveValuation.valueOf(rs.getString("naive_valuation").toUpperCase(java.util.Locale.ROOT)),
                rs.getBigDecimal("naive_conversion_pct"), rs.getLong("naive_check_minor"), rs.getString("last_click_model"), rs.getInt("ltv_horizon_months"),
                rs.getBigDecimal("lifetime_years"), rs.getInt("rate_max_age_days"), platforms, rs.getString("locale")), tenantId);
        if (rows.isEmpty()) {
            ReportSettings d = ReportSettings.defaults();
            return new ReportSettings(d.currency(), d.zone(), d.overheadRule(), d.fixedSharesPct(), d.naiveValuation(), d.naiveConversionPct(),
                    d.naiveCheckMinor(), d.lastClickModel(), d.ltvHorizonMonths(), d.lifetimeYears(), d.rateMaxAgeDays(), platforms, d.locale());
        }
        return rows.get(0);
    }

    /** Stores the settings; answers whether the zone or currency changed (aggregates cut by day must be rebuilt then). */
    public boolean put(String tenantId, ReportSettings s) {
        return Sql.transaction(db, c -> {
            ReportSettings before = get(c, tenantId);
            Sql.update(c, """
                    INSERT INTO reporting_settings (tenant_id, currency, time_zone, overhead_rule, fixed_shares, naive_valuation, naive_conversion_pct,
                        naive_check_minor, last_click_model, ltv_horizon_months, lifetime_years, rate_max_age_days, locale, updated_at)
                    VALUES (?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?, ?, ?, ?, ?, ?, now())
                    ON CONFLICT (tenant_id) DO UPDATE SET currency = EXCLUDED.currency, time_zone = EXCLUDED.time_zone,
                        overhead_rule = EXCLUDED.overhead_rule, fixed_shares = EXCLUDED.fixed_shares, naive_valuation = EXCLUDED.naive_valuation,
                        naive_conversion_pct = EXCLUDED.naive_conversion_pct, naive_check_minor = EXCLUDED.naive_check_minor,
                        last_click_model = EXCLUDED.last_click_model, ltv_horizon_months = EXCLUDED.ltv_horizon_months,
                        lifetime_years = EXCLUDED.lifetime_years, rate_max_age_days = EXCLUDED.rate_max_age_days, locale = EXCLUDED.locale,
                        updated_at = now()""",
                    tenantId, s.currency(), s.zone().getId(), s.overheadRule().code(), write(s.fixedSharesPct()), s.naiveValuation().code(),
                    s.naiveConversionPct(), s.naiveCheckMinor(), s.lastClickModel(), s.ltvHorizonMonths(), s.lifetimeYears(), s.rateMaxAgeDays(),
                    s.locale());
            Sql.update(c, "DELETE FROM platform_mappings WHERE tenant_id = ?", tenantId);
            for (Map.Entry<String, Platforms.Mapping> e : s.platforms().overrides().entrySet()) {
                Platforms.Mapping m = e.getValue();
                Sql.update(c, "INSERT INTO platform_mappings (tenant_id, platform, source, medium, channel, campaign_by_id) VALUES (?, ?, ?, ?, ?, ?)",
                        tenantId, e.getKey(), m.source(), m.medium(), m.channel(), m.campaignById());
            }
            // Stored spend that carries a platform's mapped keys (not keys its rows named) moves to the new ones at once.
            java.util.Set<String> platforms = new java.util.TreeSet<>(before.platforms().all().keySet());
            platforms.addAll(s.platforms().all().keySet());
            for (String platform : platforms) {
                Platforms.Mapping was = before.platforms().of(platform);
                Platforms.Mapping now = s.platforms().of(platform);
                if (!was.equals(now)) {
                    MonthTwins.touched(c, "ad_spend", tenantId, Sql.query(c, "SELECT DISTINCT month FROM ad_spend WHERE tenant_id = ? AND platform = ?",
                            rs -> rs.getDate(1).toLocalDate(), tenantId, platform));
                    Sql.update(c, "UPDATE ad_spend SET source = ?, medium = ?, channel = ?, campaign = CASE WHEN ? THEN campaign_id ELSE campaign_name END"
                            + " WHERE tenant_id = ? AND platform = ? AND source = ? AND medium = ? AND channel = ?", now.source(), now.medium(),
                            now.channel(), now.campaignById(), tenantId, platform, was.source(), was.medium(), was.channel());
                }
            }
            return !before.zone().equals(s.zone());
        });
    }

    private static Map<String, BigDecimal> shares(String json) {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, BigDecimal>>() { });
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
