package io.throughline.tracking.domain;

import java.net.IDN;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** How site settings are normalized and validated: registrable host names, ISO regions, public keys. */
public final class SiteRules {

    private static final Pattern HOST = Pattern.compile(
            "(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}|[a-z0-9-]+\\.xn--[a-z0-9-]+|localhost");
    private static final Set<String> REGIONS = Set.of(Locale.getISOCountries());
    private static final char[] KEY_ALPHABET = "abcdefghijkmnopqrstuvwxyz23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private SiteRules() {
    }

    /** A domain as a site owner types it ("https://Shop.RU/", "магазин.рф") to its ASCII host, or empty if it is not one. */
    public static Optional<String> normalizeDomain(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String host = raw.trim().toLowerCase(Locale.ROOT);
        host = host.replaceFirst("^[a-z]+://", "");
        int slash = host.indexOf('/');
        if (slash >= 0) {
            host = host.substring(0, slash);
        }
        host = host.replaceFirst(":\\d+$", "");
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        try {
            host = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return HOST.matcher(host).matches() ? Optional.of(host) : Optional.empty();
    }

    /** Normalized, de-duplicated domains; the index of the first invalid one is reported by the caller. */
    public static List<String> normalizeDomains(List<String> raw) {
        Set<String> out = new LinkedHashSet<>();
        for (String domain : raw) {
            normalizeDomain(domain).ifPresent(out::add);
        }
        return new ArrayList<>(out);
    }

    public static boolean isRegion(String region) {
        return region != null && REGIONS.contains(region);
    }

    /** A public site key: not a secret (it is in every page), but unguessable enough not to be enumerated. */
    public static String newPublicKey() {
        StringBuilder key = new StringBuilder("pk_");
        for (int i = 0; i < 20; i++) {
            key.append(KEY_ALPHABET[RANDOM.nextInt(KEY_ALPHABET.length)]);
        }
        return key.toString();
    }
}
