package io.throughline.tracking.domain;

import java.util.Locale;
import java.util.Optional;

/** What t.js (or a server integration) reports. */
public enum EventType {
    /** A page was shown: on load, and on every single-page-app navigation. */
    PAGEVIEW,
    /** A form was submitted, or {@code throughline('lead', {...})} was called. */
    LEAD,
    /** The site told who the visitor is: {@code throughline('identify', {...})}. */
    IDENTIFY,
    /** Anything else the site counts: {@code throughline('event', name, props)}. */
    EVENT;

    public static Optional<EventType> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        return switch (value) {
            case "pageview" -> Optional.of(PAGEVIEW);
            case "lead" -> Optional.of(LEAD);
            case "identify" -> Optional.of(IDENTIFY);
            case "event" -> Optional.of(EVENT);
            default -> Optional.empty();
        };
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Lead and identify events carry contacts that identity-service links to the visitor. */
    public boolean carriesContacts() {
        return this == LEAD || this == IDENTIFY;
    }
}
