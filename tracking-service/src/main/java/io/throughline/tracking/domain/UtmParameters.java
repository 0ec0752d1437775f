package io.throughline.tracking.domain;

import java.util.Locale;

/** The UTM tags and the campaign field each one fills. */
final class UtmParameters {

    private UtmParameters() {
    }

    static boolean isUtm(String param) {
        return field(param) != null;
    }

    /** The campaign field a UTM tag fills ({@code utm_source} -> source), or null for other parameters. */
    static String field(String param) {
        return switch (param.toLowerCase(Locale.ROOT)) {
            case "utm_source" -> "source";
            case "utm_medium" -> "medium";
            case "utm_campaign" -> "campaign";
            case "utm_term" -> "term";
            case "utm_content" -> "content";
            case "utm_id" -> "utm_id";
            default -> null;
        };
    }
}
