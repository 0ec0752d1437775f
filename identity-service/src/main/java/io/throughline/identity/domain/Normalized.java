package io.throughline.identity.domain;

/** The outcome of normalizing one raw identifier: a canonical value, or the reason it cannot be one. */
public sealed interface Normalized {

    record Value(IdentifierType type, String value) implements Normalized {
    }

    record Refused(IdentifierType type, GuardReason reason, String detail) implements Normalized {
    }
}
