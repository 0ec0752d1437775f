package io.throughline.tracking.domain;

import java.net.IDN;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A page or referrer address as browsers report it. Parsed leniently: real landing URLs carry unencoded
 * Cyrillic, spaces, stray '%' and '|', which java.net.URI refuses; nothing here throws.
 */
public record PageUrl(String raw, String host, String path, Map<String, String> query) {

    public static final int MAX_LENGTH = 4096;
    static final int MAX_PARAMS = 64;

    /** An http(s) address, or empty when it is not one. */
    public static Optional<PageUrl> parse(String raw) {
        if (raw == null || raw.isEmpty() || raw.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String url = raw.strip();
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return Optional.empty();
        }
        String protocol = url.substring(0, scheme).toLowerCase(Locale.ROOT);
        if (!protocol.equals("http") && !protocol.equals("https")) {
            return Optional.empty();
        }
        String rest = url.substring(scheme + 3);
        int end = firstOf(rest, "/?#");
        String authority = end < 0 ? rest : rest.substring(0, end);
        String tail = end < 0 ? "" : rest.substring(end);
        String host = host(authority);
        if (host == null) {
            return Optional.empty();
        }
        int hash = tail.indexOf('#');
        String fragment = hash < 0 ? "" : tail.substring(hash + 1);
        String beforeHash = hash < 0 ? tail : tail.substring(0, hash);
        int q = beforeHash.indexOf('?');
        String path = q < 0 ? beforeHash : beforeHash.substring(0, q);
        Map<String, String> query = new LinkedHashMap<>();
        if (q >= 0) {
            parseQuery(beforeHash.substring(q + 1), query);
        }
        // Some link builders put the tags after '#' (single-page apps, subscription pages): read them too,
        // without letting them override the real query string.
        if (fragment.contains("=")) {
            Map<String, String> fromFragment = new LinkedHashMap<>();
            parseQuery(fragment.startsWith("?") || fragment.startsWith("/?") ? fragment.substring(fragment.indexOf('?') + 1) : fragment,
                    fromFragment);
            fromFragment.forEach(query::putIfAbsent);
        }
        return Optional.of(new PageUrl(url, host, path.isEmpty() ? "/" : decode(path.replace("+", "%2B")), Map.copyOf(query)));
    }

    /** The host a referrer string names, or null. */
    public static String hostOf(String raw) {
        return parse(raw).map(PageUrl::host).orElse(null);
    }

    /** True when {@code host} is {@code domain} or one of its subdomains. */
    public static boolean isWithin(String host, String domain) {
        return host.equals(domain) || (host.endsWith(domain) && host.charAt(host.length() - domain.length() - 1) == '.');
    }

    private static String host(String authority) {
        int at = authority.lastIndexOf('@');
        String hostPort = at < 0 ? authority : authority.substring(at + 1);
        String host;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            host = close < 0 ? null : hostPort.substring(0, close + 1);
        } else {
            int colon = hostPort.indexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        }
        if (host == null || host.isEmpty()) {
            return null;
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        try {
            return IDN.toASCII(host, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return host;
        }
    }

    private static void parseQuery(String query, Map<String, String> into) {
        int start = 0;
        while (start <= query.length() && into.size() < MAX_PARAMS) {
            int amp = query.indexOf('&', start);
            String pair = amp < 0 ? query.substring(start) : query.substring(start, amp);
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq)).strip();
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1)).strip();
                if (!name.isEmpty()) {
                    // The first value wins, as ad platforms append theirs after the advertiser's tags.
                    into.putIfAbsent(name, value);
                }
            }
            if (amp < 0) {
                break;
            }
            start = amp + 1;
        }
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    private static int firstOf(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
