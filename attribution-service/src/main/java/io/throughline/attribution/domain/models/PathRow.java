package io.throughline.attribution.domain.models;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One row of a path table: the channel sequence of journeys, how many of them converted and how many did not, the
 * value of the conversions, and (where a model needs them) the touch times, the conversion time and each touch's
 * milestone roles (first_touch, lead_creation, opportunity_creation, closed_won).
 */
public record PathRow(List<String> channels, double conversions, double nulls, double value, List<Instant> touchTimes, Instant conversionTime,
        List<Set<String>> roles) {

    public PathRow {
        channels = List.copyOf(channels);
        touchTimes = touchTimes == null ? null : List.copyOf(touchTimes);
        roles = roles == null ? null : roles.stream().map(r -> r == null ? Set.<String>of() : Set.copyOf(r)).toList();
    }

    public static PathRow of(List<String> channels, double conversions, double nulls, double value) {
        return new PathRow(channels, conversions, nulls, value, null, null, null);
    }
}
