package io.throughline.calltracking.store;

import io.throughline.calltracking.domain.CallRules;
import io.throughline.commons.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import javax.sql.DataSource;

/** Per-site call rules; a site without its own uses {@link CallRules#DEFAULTS}. */
@ApplicationScoped
public class CallSettings {

    private final DataSource db;

    public CallSettings(DataSource db) {
        this.db = db;
    }

    public CallRules of(String tenantId, String siteKey) {
        if (siteKey == null) {
            return CallRules.DEFAULTS;
        }
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM call_settings WHERE tenant_id = ? AND site_key = ?", rs -> new CallRules(
                rs.getInt("target_min_talk_seconds"), rs.getInt("unique_window_days"), rs.getInt("abandoned_max_seconds"),
                rs.getInt("callback_window_minutes"), rs.getInt("max_calls_per_hour"), rs.getInt("zero_talk_burst"), rs.getInt("match_skew_seconds"),
                List.of((String[]) rs.getArray("blocklist").getArray())), tenantId, siteKey)).stream().findFirst().orElse(CallRules.DEFAULTS);
    }

    public void save(String tenantId, String siteKey, CallRules r) {
        Sql.transaction(db, c -> Sql.update(c, """
                INSERT INTO call_settings (tenant_id, site_key, target_min_talk_seconds, unique_window_days, abandoned_max_seconds,
                    callback_window_minutes, max_calls_per_hour, zero_talk_burst, match_skew_seconds, blocklist)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, site_key) DO UPDATE SET target_min_talk_seconds = EXCLUDED.target_min_talk_seconds,
                    unique_window_days = EXCLUDED.unique_window_days, abandoned_max_seconds = EXCLUDED.abandoned_max_seconds,
                    callback_window_minutes = EXCLUDED.callback_window_minutes, max_calls_per_hour = EXCLUDED.max_calls_per_hour,
                    zero_talk_burst = EXCLUDED.zero_talk_burst, match_skew_seconds = EXCLUDED.match_skew_seconds, blocklist = EXCLUDED.blocklist""",
                tenantId, siteKey, r.targetMinTalkSeconds(), r.uniqueWindowDays(), r.abandonedMaxSeconds(), r.callbackWindowMinutes(),
                r.maxCallsPerHour(), r.zeroTalkBurst(), r.matchSkewSeconds(), r.blocklist().toArray(String[]::new)));
    }
}
