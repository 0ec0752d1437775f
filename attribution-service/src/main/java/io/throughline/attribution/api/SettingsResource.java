package io.throughline.attribution.api;

import io.throughline.attribution.domain.journeys.AttributionSettings;
import io.throughline.attribution.domain.journeys.JourneySettings;
import io.throughline.attribution.domain.models.ModelSpec;
import io.throughline.attribution.store.SettingsStore;
import io.throughline.commons.api.ProblemException;
import io.throughline.commons.tenant.TenantContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What converts, how journeys are cut, which models stay attributed and which one reports use by default. */
@Path("/api/attribution/settings")
@Tag(name = "Runs", description = "Attribution settings, versioned runs and their credits")
@Produces(MediaType.APPLICATION_JSON)
public class SettingsResource {

    @Schema(example = """
            {"conversion_event": "payment", "lookback_days": 90, "reset_after_conversion": true,
             "models": [{"model": "last_non_direct"}, {"model": "linear"}, {"model": "markov", "params": {"order": 2}}],
             "default_model": "last_non_direct", "margins": {"sofas": 40}}""")
    public record SettingsBody(String conversionEvent, Integer lookbackDays, Boolean resetAfterConversion, List<ModelChoice> models,
            String defaultModel, Map<String, Double> margins) {
    }

    private final SettingsStore settings;
    private final TenantContext tenant;

    public SettingsResource(SettingsStore settings, TenantContext tenant) {
        this.settings = settings;
        this.tenant = tenant;
    }

    @GET
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "The workspace's attribution settings (defaults until saved)")
    public SettingsBody get() {
        return view(settings.get(tenant.tenantId()));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    @Operation(summary = "Replace the attribution settings; the scheduled job attributes the listed models from now on")
    @APIResponse(responseCode = "400", description = "An invalid field (named in the problem)")
    public SettingsBody put(SettingsBody body) {
        if (body == null) {
            throw ProblemException.invalidField("body", "must be the settings object");
        }
        String event = body.conversionEvent() == null ? "payment" : body.conversionEvent();
        if (!JourneySettings.EVENTS.contains(event)) {
            throw ProblemException.invalidField("conversion_event", "must be one of " + String.join(", ", JourneySettings.EVENTS));
        }
        int lookback = body.lookbackDays() == null ? 90 : body.lookbackDays();
        if (lookback < 1 || lookback > 730) {
            throw ProblemException.invalidField("lookback_days", "must be between 1 and 730");
        }
        if (body.models() == null || body.models().isEmpty() || body.models().size() > 12) {
            throw ProblemException.invalidField("models", "must list 1 to 12 models");
        }
        List<ModelSpec> specs = new ArrayList<>();
        Set<String> series = new HashSet<>();
        for (int i = 0; i < body.models().size(); i++) {
            ModelChoice choice = body.models().get(i);
            if (choice == null) {
                throw ProblemException.invalidField("models[" + i + "]", "must be a model");
            }
            ModelSpec spec = choice.spec("models[" + i + "]");
            if (!series.add(spec.series())) {
                throw ProblemException.invalidField("models[" + i + "]", "is listed twice");
            }
            specs.add(spec);
        }
        String defaultSeries = body.defaultModel() == null ? specs.get(0).series() : body.defaultModel();
        if (!series.contains(defaultSeries)) {
            throw ProblemException.invalidField("default_model", "must be one of the listed models, named as their runs are: " + String.join(", ",
                    specs.stream().map(ModelSpec::series).toList()));
        }
        Map<String, Double> margins = body.margins() == null ? Map.of() : body.margins();
        if (margins.size() > 500) {
            throw ProblemException.invalidField("margins", "at most 500 product lines");
        }
        margins.forEach((line, percent) -> {
            if (line == null || line.isBlank() || line.length() > 500 || percent == null || percent < 0 || percent > 100) {
                throw ProblemException.invalidField("margins." + line, "must be a percent between 0 and 100");
            }
        });
        AttributionSettings saved = new AttributionSettings(new JourneySettings(event, lookback, body.resetAfterConversion() == null
                || body.resetAfterConversion()), specs, defaultSeries, margins);
        settings.put(tenant.tenantId(), saved);
        return view(saved);
    }

    private static SettingsBody view(AttributionSettings s) {
        return new SettingsBody(s.journeys().conversionEvent(), s.journeys().lookbackDays(), s.journeys().resetAfterConversion(),
                s.models().stream().map(ModelChoice::of).toList(), s.defaultSeries(), s.margins());
    }
}
