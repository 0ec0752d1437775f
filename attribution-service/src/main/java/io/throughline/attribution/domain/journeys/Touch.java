package io.throughline.attribution.domain.journeys;

import java.time.Instant;

/** One marketing touch of a person (a web session or a call) with the keys reports group credits by. */
public record Touch(String id, String kind, Instant at, String channel, String source, String medium, String campaign, String keyword,
        boolean hasClickId) {

    /** The channel a conversion without any touch in its journey is credited to. */
    public static final String NO_TOUCHPOINT = "(no touchpoint)";

    static Touch none(Instant at) {
        return new Touch("", "none", at, NO_TOUCHPOINT, "", "", "", "", false);
    }
}
