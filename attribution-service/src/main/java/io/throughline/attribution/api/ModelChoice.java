package io.throughline.attribution.api;

import io.throughline.attribution.domain.models.ModelInputException;
import io.throughline.attribution.domain.models.ModelSpec;
import io.throughline.commons.api.ProblemException;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "A model and its parameters (only those it takes; see the compute endpoint)", example = """
        {"model": "position_based", "params": {"first": 0.3, "middle": 0.4, "last": 0.3}}""")
public record ModelChoice(String model, ComputeRequest.Params params) {

    /** The spec, checked; a problem names {@code at}.model or {@code at}.params... */
    ModelSpec spec(String at) {
        ComputeRequest.Params p = params == null ? new ComputeRequest.Params(null, null, null, null, null, null, null, null) : params;
        ModelSpec spec = new ModelSpec(model, p.first(), p.middle(), p.last(), p.halfLifeDays(), p.order(),
                p.directChannels() == null ? null : Set.copyOf(p.directChannels()), p.samples(), p.seed());
        try {
            return spec.check();
        } catch (ModelInputException e) {
            throw ProblemException.invalidField(at.isEmpty() ? e.field() : at + "." + e.field(), e.getMessage());
        }
    }

    static ModelChoice of(ModelSpec s) {
        return new ModelChoice(s.model(), new ComputeRequest.Params(s.first(), s.middle(), s.last(), s.halfLifeDays(), s.order(),
                s.directChannels() == null ? null : s.directChannels().stream().sorted().toList(), s.samples(), s.seed()));
    }
}
