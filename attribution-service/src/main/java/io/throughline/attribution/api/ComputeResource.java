package io.throughline.attribution.api;

import io.throughline.attribution.domain.models.AttributionResult;
import io.throughline.attribution.domain.models.ModelInputException;
import io.throughline.attribution.domain.models.ModelSpec;
import io.throughline.attribution.domain.models.PathRow;
import io.throughline.commons.api.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Attribution of an analyst's own path table with any model: as JSON, or as the CSV that ChannelAttribution users
 * export (columns path, conversions, nulls, value; the path's channels joined by a separator such as " > ").
 */
@Path("/api/attribution/compute")
@Tag(name = "Compute", description = "Attribution models over a posted path table")
@Produces(MediaType.APPLICATION_JSON)
public class ComputeResource {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({"analyst", "admin"})
    @Operation(summary = "Credits per channel for a path table under one model (first_touch, last_touch, last_non_direct, linear, "
            + "position_based, time_decay, w_shaped, full_path, markov, shapley, shapley_conversion_rate)")
    @APIResponse(responseCode = "200", description = "Credits, totals, and the removal effects and transition matrix (markov) or Shapley values")
    @APIResponse(responseCode = "400", description = "An invalid model, parameter or path (named in the problem)")
    @APIResponse(responseCode = "422", description = "The data cannot support the model (e.g. no converting path for markov)")
    public AttributionResult compute(ComputeRequest request) {
        if (request == null) {
            throw ProblemException.invalidField("body", "must be a JSON object with model, params and paths");
        }
        return run(request::spec, request::rows);
    }

    @POST
    @Path("/csv")
    @Consumes({"text/csv", MediaType.TEXT_PLAIN})
    @RolesAllowed({"analyst", "admin"})
    @Operation(summary = "The same over a CSV path table with a header: path, conversions, nulls, value (nulls and value optional); "
            + "parameters in the query")
    @APIResponse(responseCode = "400", description = "An invalid model, parameter, row or column (named in the problem)")
    @APIResponse(responseCode = "422", description = "The data cannot support the model")
    public AttributionResult computeCsv(String csv, @QueryParam("model") String model, @QueryParam("separator") @DefaultValue(" > ") String separator,
            @QueryParam("first") Double first, @QueryParam("middle") Double middle, @QueryParam("last") Double last,
            @QueryParam("half_life_days") Double halfLifeDays, @QueryParam("order") Integer order,
            @QueryParam("direct_channels") String directChannels, @QueryParam("samples") Integer samples, @QueryParam("seed") Long seed) {
        Set<String> direct = directChannels == null ? null : Set.copyOf(Arrays.stream(directChannels.split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList());
        return run(() -> new ModelSpec(model, first, middle, last, halfLifeDays, order, direct, samples, seed), () -> PathTableCsv.read(csv, separator));
    }

    private static AttributionResult run(Supplier<ModelSpec> spec, Supplier<List<PathRow>> rows) {
        try {
            return spec.get().validate().compute(rows.get());
        } catch (ModelInputException e) {
            throw e.unprocessable() ? ProblemException.unprocessable(e.field(), e.getMessage()) : ProblemException.invalidField(e.field(), e.getMessage());
        }
    }
}
