package io.throughline.identity.domain;

import java.util.Locale;

/** Why an identifier did not link (every such decision is recorded and shown). */
public enum GuardReason {
    /** Not a well-formed value of its type (a possible-but-invalid phone, an e-mail without a domain). */
    INVALID,
    /** A value that identifies nobody: empty, "null", test addresses, example domains, role mailboxes, all zeros. */
    BLOCKED_VALUE,
    /** A valid-looking phone that is a placeholder (+7 999 999-99-99, 1234567). */
    JUNK_PHONE,
    /** Erased before: the suppression list keeps it from being recreated. */
    SUPPRESSED,
    /** Linked to more persons' unique ids than the threshold: a shared value that would collapse the graph. */
    QUARANTINED_HUB,
    /** Would put two different CRM contacts or user ids into one person. */
    UNIQUE_CONFLICT,
    /** The person already has as many identifiers of this type as the limit allows. */
    TYPE_LIMIT;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
