package io.throughline.calltracking.domain;

import java.util.Locale;
import java.util.Optional;

/** What a pool shows when every number is held by a live session. */
public enum OverflowPolicy {
    /** Show the site's default number: the call stays unattributed but is never misattributed. */
    DEFAULT_NUMBER,
    /** Reuse the number released longest ago and mark the reservation ambiguous. */
    REUSE_LEAST_RECENT;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<OverflowPolicy> fromCode(String code) {
        for (OverflowPolicy policy : values()) {
            if (policy.code().equals(code)) {
                return Optional.of(policy);
            }
        }
        return Optional.empty();
    }
}
