package io.throughline.tracking.domain;

/** Contacts as people may see them in explorers: enough to recognize, not enough to use. */
public final class ContactMasks {

    private ContactMasks() {
    }

    /** "olga.petrova@mail.ru" -> "o***@mail.ru". */
    public static String email(String email) {
        if (email == null) {
            return null;
        }
        int at = email.lastIndexOf('@');
        if (at <= 0) {
            return "***";
        }
        return email.charAt(0) + "***" + email.substring(at).toLowerCase(java.util.Locale.ROOT);
    }

    /** "+79165551234" -> "+7*******34": the first two and the last two characters of the digits. */
    public static String phone(String phone) {
        if (phone == null) {
            return null;
        }
        String digits = phone.replaceAll("[^0-9+]", "");
        if (digits.length() < 6) {
            return "***";
        }
        return digits.substring(0, 2) + "*".repeat(digits.length() - 4) + digits.substring(digits.length() - 2);
    }
}
