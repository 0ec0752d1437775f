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
        String authority = authority(raw);
        if (authority == null) {
            return Optional.empty();
        }
        String url = raw.strip();
        String tail = url.substring(url.indexOf("://") + 3 + authority.length());
        String host = host(authority);
        if (host == null) {
            return Optional.empty();
        }
        int hash = tail.indexOf('#');
        String fragment = hash < 0 ? "" : tail.substring(hash + 1);
        String beforeHash = hash < 0 ? tail : tail.substring(0, hash);
        int q = beforeHash.indexOf('?');
        String path = q < 0 ? beforeHash : beforeHash.substring(0, q);
        Map<String, String> query = new LinkedHashMap<>(16);
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
        return Optional.of(new PageUrl(url, host, path.isEmpty() ? "/" : decode(path.indexOf('+') < 0 ? path : path.replace("+", "%2B")),
                java.util.Collections.unmodifiableMap(query)));
    }

    /** The host a referrer string names, or null (without reading its path or query). */
    public static String hostOf(String raw) {
        String authority = authority(raw);
        return authority == null ? null : host(authority);
    }

    /** Whether the string is an http(s) address with a host, as the collector requires of page addresses. */
    public static boolean isHttpUrl(String raw) {
        return hostOf(raw) != null;
    }

    private static String authority(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return null;
        }
        String raw = value.strip();
        int scheme = raw.indexOf("://");
        if (scheme != 4 && scheme != 5) {
            return null;
        }
        if (!raw.regionMatches(true, 0, "https", 0, scheme) && !raw.regionMatches(true, 0, "http", 0, scheme)) {
            return null;
        }
        int start = scheme + 3;
        String rest = raw.substring(start);
        int end = endOfAuthority(rest);
        return end < 0 ? rest : rest.substring(0, end);
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
        if (isAscii(host)) {
            return host;
        }
        try {
            return IDN.toASCII(host, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return host;
        }
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static void parseQuery(String query, Map<String, String> into) {
        int start = 0;
        while (start <= query.length() && into.size() < MAX_PARAMS) {
            int amp = query.indexOf('&', start);
            String pair = amp < 0 ? query.substring(start) : query.substring(start, amp);
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                String name = trim(decode(eq < 0 ? pair : pair.substring(0, eq)));
                String value = eq < 0 ? "" : trim(decode(pair.substring(eq + 1)));
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

    private static String trim(String s) {
        return s.isEmpty() || (s.charAt(0) > ' ' && s.charAt(s.length() - 1) > ' ') ? s : s.strip();
    }

    private static String decode(String value) {
        if (value.indexOf('%') < 0 && value.indexOf('+') < 0) {
            return value;
        }
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    /** The first of '/', '?' or '#' in the string, or -1. */
    private static int endOfAuthority(String s) {
        int end = -1;
        for (char c : new char[] {'/', '?', '#'}) {
            int at = s.indexOf(c);
            if (at >= 0 && (end < 0 || at < end)) {
                end = at;
            }
        }
        return end;
    }
}
