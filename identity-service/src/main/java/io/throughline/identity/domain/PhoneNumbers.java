package io.throughline.identity.domain;

import io.throughline.commons.phone.PhoneCheck;

/** Phones as identifiers: the shared phone rule (libphonenumber, validity, placeholders) mapped to guard reasons. */
public final class PhoneNumbers {

    private PhoneNumbers() {
    }

    public static Normalized normalize(String raw, String defaultRegion) {
        PhoneCheck.Result result = PhoneCheck.check(raw, defaultRegion);
        if (result.valid()) {
            return new Normalized.Value(IdentifierType.PHONE, result.e164());
        }
        return switch (result.problem()) {
            case EMPTY_OR_OVERLONG -> new Normalized.Refused(IdentifierType.PHONE, GuardReason.BLOCKED_VALUE, "empty or overlong");
            case UNPARSEABLE -> new Normalized.Refused(IdentifierType.PHONE, GuardReason.INVALID, "not a phone number");
            case INVALID -> new Normalized.Refused(IdentifierType.PHONE, GuardReason.INVALID, "not a valid number for its region");
            case PLACEHOLDER -> new Normalized.Refused(IdentifierType.PHONE, GuardReason.JUNK_PHONE, "placeholder number");
        };
    }
}
