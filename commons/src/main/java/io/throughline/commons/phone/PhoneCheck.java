package io.throughline.commons.phone;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One rule for phones in every service: parsed with libphonenumber and the site's default region
 * ("8 (912) 345-67-89" and "+7 912 345-67-89" are one number), valid for its region (not only possible),
 * and not a placeholder someone typed to get past a form.
 */
public final class PhoneCheck {

    public static final int MAX_LENGTH = 40;
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final Pattern SAME_TRAILING = Pattern.compile(".*(\\d)\\1{5}$");
    private static final Set<String> RUNS = Set.of("0123456", "1234567", "7654321", "9876543");

    /** Why a phone was not accepted. */
    public enum Problem { EMPTY_OR_OVERLONG, UNPARSEABLE, INVALID, PLACEHOLDER }

    /** A phone in E.164, or the problem it has. */
    public record Result(String e164, Problem problem) {
        public boolean valid() {
            return problem == null;
        }
    }

    private PhoneCheck() {
    }

    public static Result check(String raw, String defaultRegion) {
        if (raw == null || raw.isBlank() || raw.length() > MAX_LENGTH) {
            return new Result(null, Problem.EMPTY_OR_OVERLONG);
        }
        String region = defaultRegion == null || defaultRegion.isBlank() ? "RU" : defaultRegion;
        PhoneNumber number;
        try {
            number = UTIL.parse(raw, region);
        } catch (NumberParseException e) {
            return new Result(null, Problem.UNPARSEABLE);
        }
        if (!UTIL.isValidNumber(number)) {
            return new Result(null, Problem.INVALID);
        }
        if (isPlaceholder(UTIL.getNationalSignificantNumber(number))) {
            return new Result(null, Problem.PLACEHOLDER);
        }
        return new Result(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164), null);
    }

    /**
     * At most two distinct digits, six equal trailing digits, or a subscriber part (the last seven digits)
     * typed as a run such as 1234567. Runs elsewhere are real numbers (+7 912 345-67-89 is one).
     */
    public static boolean isPlaceholder(String national) {
        if (national.chars().distinct().count() <= 2 || SAME_TRAILING.matcher(national).matches()) {
            return true;
        }
        return national.length() >= 7 && RUNS.contains(national.substring(national.length() - 7));
    }
}
