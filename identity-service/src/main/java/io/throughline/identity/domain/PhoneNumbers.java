package io.throughline.identity.domain;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.regex.Pattern;

/**
 * Phones to E.164 with libphonenumber and the site's default region: "8 (912) 345-67-89" and
 * "+7 912 345-67-89" are one number. A number that is only "possible" is not valid; a valid number that
 * is a placeholder is junk.
 */
public final class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final Pattern SAME_TRAILING = Pattern.compile(".*(\\d)\\1{5}$");
    private static final java.util.Set<String> RUNS = java.util.Set.of("0123456", "1234567", "7654321", "9876543");

    private PhoneNumbers() {
    }

    public static Normalized normalize(String raw, String defaultRegion) {
        if (raw == null || raw.isBlank() || raw.length() > 40) {
            return new Normalized.Refused(IdentifierType.PHONE, GuardReason.BLOCKED_VALUE, "empty or overlong");
        }
        String region = defaultRegion == null || defaultRegion.isBlank() ? "RU" : defaultRegion;
        PhoneNumber number;
        try {
            number = UTIL.parse(raw, region);
        } catch (NumberParseException e) {
            return new Normalized.Refused(IdentifierType.PHONE, GuardReason.INVALID, "not a phone number");
        }
        if (!UTIL.isValidNumber(number)) {
            return new Normalized.Refused(IdentifierType.PHONE, GuardReason.INVALID, "not a valid number for its region");
        }
        String national = UTIL.getNationalSignificantNumber(number);
        if (isPlaceholder(national)) {
            return new Normalized.Refused(IdentifierType.PHONE, GuardReason.JUNK_PHONE, "placeholder number");
        }
        return new Normalized.Value(IdentifierType.PHONE, UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164));
    }

    /**
     * At most two distinct digits, six equal trailing digits, or a subscriber part (the last seven digits)
     * typed as a run such as 1234567. Runs elsewhere are real numbers (+7 912 345-67-89 is one).
     */
    static boolean isPlaceholder(String national) {
        if (national.chars().distinct().count() <= 2 || SAME_TRAILING.matcher(national).matches()) {
            return true;
        }
        return national.length() >= 7 && RUNS.contains(national.substring(national.length() - 7));
    }
}
