package io.throughline.tracking.domain;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Sensitive values never stay in stored addresses: a site whose form submits with GET puts passwords, card
 * numbers, e-mails and phones into the next page's URL. Such query values (by parameter name, or any value
 * that looks like an e-mail) are replaced; campaign tags and click ids are kept. t.js does the same before
 * sending, this is the collector's own line of defence. One pass over the parameters; an address without any
 * sensitive parameter is returned as it is.
 */
public final class UrlRedaction {

    public static final String REDACTED = "[redacted]";
    private static final Pattern SENSITIVE_NAME = Pattern.compile(
            "pass|pwd|secret|token|auth|session|card|cvv|cvc|iban|e-?mail|phone|tel|mobile|fio|passport|snils|inn");

    private UrlRedaction() {
    }

    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        int start = firstSeparator(url);
        if (start < 0) {
            return url;
        }
        StringBuilder out = null;
        int copied = 0;
        int i = start;
        while (i < url.length()) {
            int nameStart = i + 1;
            int end = nextSeparator(url, nameStart);
            int eq = url.indexOf('=', nameStart);
            if (eq > 0 && eq < end) {
                String name = url.substring(nameStart, eq);
                int valueStart = eq + 1;
                if (valueStart < end && sensitive(name, url, valueStart, end)) {
                    if (out == null) {
                        out = new StringBuilder(url.length() + 16);
                    }
                    out.append(url, copied, valueStart).append(REDACTED);
                    copied = end;
                }
            }
            i = end;
        }
        if (out == null) {
            return url;
        }
        return out.append(url, copied, url.length()).toString();
    }

    /** Whether a landing parameter (already decoded) is sensitive: its value is not kept among the raw parameters. */
    public static boolean sensitive(String name, String value) {
        return !name.startsWith("utm_") && (sensitiveName(name) || value.indexOf('@') >= 0);
    }

    private static boolean sensitive(String name, String url, int valueStart, int valueEnd) {
        if (name.startsWith("utm_")) {
            return false;
        }
        if (sensitiveName(name)) {
            return true;
        }
        for (int i = valueStart; i < valueEnd; i++) {
            char c = url.charAt(i);
            if (c == '@' || (c == '%' && url.startsWith("40", i + 1))) {
                return true;
            }
        }
        return false;
    }

    private static boolean sensitiveName(String name) {
        // Parameter names repeat (utm_source, yclid, page...): remember the answers, within a bound.
        Boolean known = NAMES.get(name);
        if (known != null) {
            return known;
        }
        boolean sensitive = SENSITIVE_NAME.matcher(name.toLowerCase(Locale.ROOT)).find();
        if (NAMES.size() < 10_000) {
            NAMES.put(name, sensitive);
        }
        return sensitive;
    }

    private static final java.util.concurrent.ConcurrentHashMap<String, Boolean> NAMES = new java.util.concurrent.ConcurrentHashMap<>();

    private static int firstSeparator(String url) {
        int q = url.indexOf('?');
        int h = url.indexOf('#');
        return q < 0 ? h : h < 0 ? q : Math.min(q, h);
    }

    private static int nextSeparator(String url, int from) {
        for (int i = from; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '&' || c == '?' || c == '#') {
                return i;
            }
        }
        return url.length();
    }
}
