package io.throughline.identity.domain;

import java.util.Locale;
import java.util.Optional;

/** The identifiers a person is known by. Click ids are visit attributes and never link persons. */
public enum IdentifierType {
    VISITOR_ID(false, false),
    GA_CLIENT_ID(false, false),
    YM_CLIENT_ID(false, false),
    EMAIL(true, false),
    PHONE(true, false),
    CRM_CONTACT_ID(false, true),
    USER_ID(false, true);

    private final boolean personal;
    private final boolean unique;

    IdentifierType(boolean personal, boolean unique) {
        this.personal = personal;
        this.unique = unique;
    }

    /** Personal data: stored only as a keyed match key plus, encrypted, the normalized value. */
    public boolean personal() {
        return personal;
    }

    /** At most one per person: two different values never end up in one person. */
    public boolean unique() {
        return unique;
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<IdentifierType> fromCode(String code) {
        try {
            return Optional.of(valueOf(code.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
