package io.throughline.tracking.domain;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Host patterns as lookups: "vk.com" covers vk.com and its subdomains (a suffix walk over a hash set);
 * "google.*" covers google under any public suffix of one or two short labels (google.com, google.co.uk).
 */
final class HostSet {

    private static final Pattern VALID = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,250}[a-z0-9])?(\\.\\*)?");
    private static final Pattern SUFFIX = Pattern.compile("[a-z]{2,6}(\\.[a-z]{2,3})?");

    private final Set<String> exact = new HashSet<>();
    private final Set<String> anyTld = new HashSet<>();

    HostSet(List<String> patterns) {
        for (String raw : patterns) {
            String p = raw.toLowerCase(Locale.ROOT).strip();
            if (p.endsWith(".*")) {
                anyTld.add(p.substring(0, p.length() - 2));
            } else {
                exact.add(p);
            }
        }
    }

    static boolean isValid(String raw) {
        return raw != null && VALID.matcher(raw.toLowerCase(Locale.ROOT).strip()).matches();
    }

    boolean contains(String host) {
        return containsExactly(host) || anyTldName(host) != null;
    }

    /** Whether the host or one of its parent domains is listed as such. */
    boolean containsExactly(String host) {
        for (String h = host; ; h = h.substring(h.indexOf('.') + 1)) {
            if (exact.contains(h)) {
                return true;
            }
            if (h.indexOf('.') < 0) {
                return false;
            }
        }
    }

    /** The "name" of a "name.*" pattern that covers the host, or null. */
    String anyTldName(String host) {
        if (anyTld.isEmpty()) {
            return null;
        }
        int start = 0;
        while (start < host.length()) {
            int dot = host.indexOf('.', start);
            if (dot < 0) {
                return null;
            }
            String label = host.substring(start, dot);
            if (anyTld.contains(label) && SUFFIX.matcher(host.substring(dot + 1)).matches()) {
                return label;
            }
            start = dot + 1;
        }
        return null;
    }
}
