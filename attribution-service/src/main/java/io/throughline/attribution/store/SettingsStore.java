package io.throughline.attribution.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.throughline.attribution.domain.journeys.AttributionSettings;
import io.throughline.attribution.domain.journeys.JourneySettings;
import io.throughline.attribution.domain.models.ModelSpec;
import io.throughline.commons.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Attribution settings per workspace; a workspace that never saved any has {@link AttributionSettings#DEFAULTS}. */
@ApplicationScoped
public class SettingsStore {

    static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);

    private final DataSource db;

    public SettingsStore(DataSource db) {
        this.db = db;
    }

    public AttributionSettings get(String tenantId) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM attribution_settings WHERE tenant_id = ?", rs -> new AttributionSettings(
                new JourneySettings(rs.getString("conversion_event"), rs.getInt("lookback_days"), rs.getBoolean("reset_after_conversion")),
                read(rs.getString("models"), new TypeReference<List<ModelSpec>>() { }), rs.getString("default_model"),
                read(rs.getString("margins"), new TypeReference<Map<String, Double>>() { })), tenantId))
                .stream().findFirst().orElse(AttributionSettings.DEFAULTS);
    }

    /** The workspaces that have deals: the ones the scheduled job keeps attributed. */
    public List<String> tenantsWithDeals() {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT DISTINCT tenant_id FROM deals ORDER BY tenant_id", rs -> rs.getString(1)));
    }

    public void put(String tenantId, AttributionSettings s) {
        Sql.transaction(db, c -> Sql.update(c, """
                INSERT INTO attribution_settings (tenant_id, conversion_event, lookback_days, reset_after_conversion, models, default_model, margins,
                    updated_at) VALUES (?, ?, ?, ?, CAST(? AS jsonb), ?, CAST(? AS jsonb), ?)
                ON CONFLICT (tenant_id) DO UPDATE SET conversion_event = EXCLUDED.conversion_event, lookback_days = EXCLUDED.lookback_days,
                    reset_after_conversion = EXCLUDED.reset_after_conversion, models = EXCLUDED.models, default_model = EXCLUDED.default_model,
                    margins = EXCLUDED.margins, updated_at = EXCLUDED.updated_at""", tenantId, s.journeys().conversionEvent(),
                s.journeys().lookbackDays(), s.journeys().resetAfterConversion(), write(s.models()), s.defaultSeries(), write(s.margins()),
                Instant.now()));
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
