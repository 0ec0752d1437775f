package io.throughline.calltracking.domain;

import io.throughline.commons.phone.PhoneCheck;

/**
 * Phones as PBXs write them: "+74951234567", "74951234567" (Zadarma, without the plus), "8 (495) 123-45-67",
 * "anonymous". Parsed with the region first, then as an international number written without its plus.
 */
public final class CallNumbers {

    private CallNumbers() {
    }

    /** E.164, or null for withheld, malformed or placeholder numbers. */
    public static String e164(String raw, String region) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        PhoneCheck.Result local = PhoneCheck.check(raw.strip(), region);
        if (local.valid()) {
            return local.e164();
        }
        String digits = raw.replaceAll("[^0-9]", "");
        if (digits.length() >= 10 && digits.length() <= 15 && raw.strip().matches("[0-9 ()-]+")) {
            PhoneCheck.Result international = PhoneCheck.check("+" + digits, region);
            if (international.valid()) {
                return international.e164();
            }
        }
        return null;
    }
}
