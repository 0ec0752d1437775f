package io.throughline.tracking.domain;

import java.time.Instant;

/** The formats of a batch's plain fields, checked without regular expressions: they are checked for every event. */
final class FieldFormats {

    private FieldFormats() {
    }

    /**
     * The form browsers send ({@code new Date().toISOString()}: 2026-11-24T10:00:05.120Z) read without a
     * DateTimeFormatter, which costs microseconds per call; anything else goes the general way.
     */
    static Instant utcInstant(String v) {
        int n = v.length();
        if (n < 20 || v.charAt(n - 1) != 'Z' || v.charAt(4) != '-' || v.charAt(7) != '-' || v.charAt(10) != 'T'
                || v.charAt(13) != ':' || v.charAt(16) != ':') {
            return null;
        }
        int year = digits(v, 0, 4);
        int month = digits(v, 5, 7);
        int day = digits(v, 8, 10);
        int hour = digits(v, 11, 13);
        int minute = digits(v, 14, 16);
        int second = digits(v, 17, 19);
        int nanos = 0;
        if (n > 20) {
            if (v.charAt(19) != '.' || n - 21 > 9 || n - 21 < 1) {
                return null;
            }
            int fraction = digits(v, 20, n - 1);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction * (int) Math.pow(10, 9 - (n - 21));
        } else if (n != 20) {
            return null;
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59) {
            return null;
        }
        try {
            long days = java.time.LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(days * 86_400 + hour * 3600L + minute * 60L + second, nanos);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    static int digits(String v, int from, int to) {
        int out = 0;
        for (int i = from; i < to; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            out = out * 10 + (c - '0');
        }
        return out;
    }

    /** GA1.2.1234567890.1732000000: "GA", then four dot-separated numbers of at most 20 digits. */
    static boolean isGaCookie(String s) {
        if (s.length() > 90 || !s.startsWith("GA")) {
            return false;
        }
        int parts = 1;
        int run = 0;
        for (int i = 2; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (run == 0) {
                    return false;
                }
                parts++;
                run = 0;
            } else if (c >= '0' && c <= '9' && ++run <= 20) {
                continue;
            } else {
                return false;
            }
        }
        return parts == 4 && run > 0;
    }

    static boolean isYmUid(String s) {
        if (s.length() < 6 || s.length() > 30) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    static boolean isSiteKey(String s) {
        if (s == null || s.length() < 4 || s.length() > 67 || !s.startsWith("pk_")) {
            return false;
        }
        for (int i = 3; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    static boolean isVisitorId(String s) {
        if (s == null || s.length() < 8 || s.length() > 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static final boolean[] HEX = new boolean[128];

    static {
        for (char c : "0123456789abcdefABCDEF".toCharArray()) {
            HEX[c] = true;
        }
    }

    static boolean isUuid(String s) {
        if (s == null || s.length() != 36 || s.charAt(8) != '-' || s.charAt(13) != '-' || s.charAt(18) != '-' || s.charAt(23) != '-') {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            if (c != '-' && (c >= 128 || !HEX[c])) {
                return false;
            }
        }
        return true;
    }
}
