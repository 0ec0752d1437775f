package io.throughline.calltracking.domain;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * How a tracked number is shown on a page: with the pool's mask ("8 (XXX) XXX-XX-XX", "+7 XXX XXX-XX-XX": each X
 * takes the next digit of the national number), or libphonenumber's international format.
 */
public final class PhoneDisplay {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private PhoneDisplay() {
    }

    public static String format(String e164, String mask) {
        PhoneNumber number;
        try {
            number = UTIL.parse(e164, "ZZ");
        } catch (NumberParseException e) {
            return e164;
        }
        if (mask == null || mask.isBlank()) {
            return UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.INTERNATIONAL);
        }
        String national = UTIL.getNationalSignificantNumber(number);
        StringBuilder out = new StringBuilder(mask.length());
        int next = 0;
        for (char c : mask.toCharArray()) {
            if (c == 'X' || c == 'x') {
                out.append(next < national.length() ? national.charAt(next++) : '0');
            } else {
                out.append(c);
            }
        }
        return next == national.length() ? out.toString() : UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.INTERNATIONAL);
    }

    /** Whether a mask fits a number: as many X as the national number has digits. */
    public static boolean fits(String mask, String e164) {
        try {
            String national = UTIL.getNationalSignificantNumber(UTIL.parse(e164, "ZZ"));
            return mask.chars().filter(c -> c == 'X' || c == 'x').count() == national.length();
        } catch (NumberParseException e) {
            return false;
        }
    }
}
