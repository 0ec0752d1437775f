package io.throughline.tracking.domain;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sensitive values never stay in stored addresses: a site whose form submits with GET puts passwords, card
 * numbers, e-mails and phones into the next page's URL. Such query values (by parameter name, or any value
 * that looks like an e-mail) are replaced; campaign tags and click ids are kept. t.js does the same before
 * sending, this is the collector's own line of defence.
 */
public final class UrlRedaction {

    public static final String REDACTED = "[redacted]";
    private static final Pattern SENSITIVE_NAME = Pattern.compile(
            "(?i)(pass|pwd|secret|token|auth|session|card|cvv|cvc|iban|e-?mail|phone|tel|mobile|fio|passport|snils|inn)");
    private static final Pattern PARAM = Pattern.compile("([?&#])([^=&#]+)=([^&#]*)");
    private static final Pattern EMAILISH = Pattern.compile("(?i)[^@\\s]+(@|%40)[^@\\s.]+\\.[^@\\s]+");

    private UrlRedaction() {
    }

    public static String redact(String url) {
        if (url == null || url.indexOf('=') < 0) {
            return url;
        }
        Matcher m = PARAM.matcher(url);
        StringBuilder out = new StringBuilder(url.length());
        while (m.find()) {
            String name = m.group(2);
            String value = m.group(3);
            boolean sensitive = !name.startsWith("utm_") && (SENSITIVE_NAME.matcher(name).find() || EMAILISH.matcher(value).matches());
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + name + "=" + (sensitive && !value.isEmpty() ? REDACTED : value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Whether a landing parameter is sensitive (its value is not kept among the raw parameters). */
    public static boolean sensitive(String name, String value) {
        return !name.startsWith("utm_") && (SENSITIVE_NAME.matcher(name).find() || EMAILISH.matcher(value).matches());
    }
}
