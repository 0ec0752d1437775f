package io.throughline.attribution.api;

import io.throughline.attribution.domain.models.ModelInputException;
import io.throughline.attribution.domain.models.ModelSpec;
import io.throughline.attribution.domain.models.PathRow;
import io.throughline.attribution.domain.models.Rules;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "A model and a path table (journeys aggregated by channel sequence), e.g. exported from your own data", example = """
        {"model": "position_based", "params": {"first": 0.4, "middle": 0.2, "last": 0.4},
         "paths": [{"channels": ["paid_search", "email", "direct"], "conversions": 3, "nulls": 1, "value": 300.0},
                   {"channels": ["social"], "conversions": 0, "nulls": 7, "value": 0}]}""")
public record ComputeRequest(String model, Params params, List<Path> paths) {

    /** Rows and touches one request may carry. */
    public static final int MAX_PATHS = 100_000;
    public static final int MAX_TOUCHES = 200;

    @Schema(description = "Only where the model needs them: first/middle/last (position_based), half_life_days (time_decay), order 1-4 "
            + "(markov), direct_channels (last_non_direct), samples and seed (shapley_conversion_rate above 16 channels)")
    public record Params(Double first, Double middle, Double last, Double halfLifeDays, Integer order, List<String> directChannels, Integer samples,
            Long seed) {
    }

    @Schema(description = "One path: its channels in order, its journeys that converted and that did not, the conversions' value; "
            + "touch_times and conversion_time (RFC 3339) for time_decay; each touch's roles for w_shaped and full_path")
    public record Path(List<String> channels, Double conversions, Double nulls, Double value, List<String> touchTimes, String conversionTime,
            List<List<String>> roles) {
    }

    ModelSpec spec() {
        Params p = params == null ? new Params(null, null, null, null, null, null, null, null) : params;
        return new ModelSpec(model, p.first(), p.middle(), p.last(), p.halfLifeDays(), p.order(),
                p.directChannels() == null ? null : Set.copyOf(p.directChannels()), p.samples(), p.seed());
    }

    /** The path table, validated field by field (the first problem is named, e.g. paths[3].touch_times). */
    List<PathRow> rows() {
        if (paths == null || paths.isEmpty()) {
            throw ModelInputException.invalid("paths", "must hold at least one path");
        }
        if (paths.size() > MAX_PATHS) {
            throw ModelInputException.invalid("paths", "at most " + MAX_PATHS + " paths per request");
        }
        List<PathRow> rows = new ArrayList<>(paths.size());
        for (int i = 0; i < paths.size(); i++) {
            rows.add(row(paths.get(i), "paths[" + i + "]"));
        }
        return rows;
    }

    static PathRow row(Path p, String at) {
        if (p == null || p.channels() == null || p.channels().isEmpty()) {
            throw ModelInputException.invalid(at + ".channels", "must name at least one channel");
        }
        if (p.channels().size() > MAX_TOUCHES) {
            throw ModelInputException.invalid(at + ".channels", "at most " + MAX_TOUCHES + " touches");
        }
        for (String c : p.channels()) {
            if (c == null || c.isBlank() || c.length() > 200) {
                throw ModelInputException.invalid(at + ".channels", "channels must be non-empty names of at most 200 characters");
            }
        }
        double conversions = count(p.conversions(), at + ".conversions");
        double nulls = count(p.nulls(), at + ".nulls");
        double value = count(p.value(), at + ".value");
        List<Instant> times = null;
        Instant conversionTime = null;
        if (p.touchTimes() != null || p.conversionTime() != null) {
            if (p.touchTimes() == null || p.touchTimes().size() != p.channels().size()) {
                throw ModelInputException.invalid(at + ".touch_times", "must give one time per channel (" + p.channels().size() + ")");
            }
            times = new ArrayList<>();
            for (int t = 0; t < p.touchTimes().size(); t++) {
                times.add(time(p.touchTimes().get(t), at + ".touch_times[" + t + "]"));
            }
            conversionTime = time(p.conversionTime(), at + ".conversion_time");
        }
        List<Set<String>> roles = null;
        if (p.roles() != null) {
            if (p.roles().size() != p.channels().size()) {
                throw ModelInputException.invalid(at + ".roles", "must give one list of roles per channel (" + p.channels().size() + ")");
            }
            roles = new ArrayList<>();
            for (List<String> r : p.roles()) {
                Set<String> set = new HashSet<>(r == null ? List.of() : r);
                if (!Rules.ROLES.containsAll(set)) {
                    throw ModelInputException.invalid(at + ".roles", "roles are " + String.join(", ", new java.util.TreeSet<>(Rules.ROLES)));
                }
                roles.add(set);
            }
        }
        return new PathRow(p.channels(), conversions, nulls, value, times, conversionTime, roles);
    }

    private static double count(Double v, String field) {
        if (v == null) {
            return 0;
        }
        if (v.isNaN() || v.isInfinite() || v < 0) {
            throw ModelInputException.invalid(field, "must be a number >= 0");
        }
        return v;
    }

    private static Instant time(String v, String field) {
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException | NullPointerException e) {
            throw ModelInputException.invalid(field, "must be an RFC 3339 time such as 2026-11-01T10:00:00Z");
        }
    }
}
