package io.throughline.identity.domain;

/** The outcome of normalizing one raw identifier: a canonical value, or the reason it cannot be one. */
public sealed interface Normalized {

    /**
     * A canonical value (what match keys are made of) and the form kept for export: the same except for e-mails at
     * gmail.com / googlemail.com, whose dots and +suffix are dropped from the match key only (Google applies that rule
     * itself; Meta, Yandex and VK hash the address as written, lower-cased).
     */
    record Value(IdentifierType type, String value, String exported) implements Normalized {
        public Value(IdentifierType type, String value) {
            this(type, value, value);
        }
    }

    record Refused(IdentifierType type, GuardReason reason, String detail) implements Normalized {
    }
}
