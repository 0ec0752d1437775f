package io.throughline.reporting.domain.spend;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which campaign keys an ad platform's spend is reported under, so that it meets the visits and credits of the same
 * campaign: the {@code utm_source} / {@code utm_medium} the platform's ads carry, the channel tracking classifies
 * them into, and whether {@code utm_campaign} holds the campaign's name or its id. Workspaces may override any
 * platform; unknown platforms are {@code <platform> / cpc / paid_other} by name.
 */
public final class Platforms {

    public static final String YANDEX_DIRECT = "yandex_direct";
    public static final String GOOGLE_ADS = "google_ads";
    public static final String META = "meta";
    public static final String VK_ADS = "vk_ads";

    public record Mapping(String source, String medium, String channel, boolean campaignById) {

        public String campaignKey(String id, String name) {
            return campaignById ? id : name;
        }
    }

    private static final Map<String, Mapping> DEFAULTS = Map.of(
            YANDEX_DIRECT, new Mapping("yandex", "cpc", "paid_search", false),
            GOOGLE_ADS, new Mapping("google", "cpc", "paid_search", false),
            META, new Mapping("facebook", "cpc", "paid_social", false),
            VK_ADS, new Mapping("vk", "cpc", "paid_social", false));

    private final Map<String, Mapping> overrides;

    public Platforms(Map<String, Mapping> overrides) {
        this.overrides = new HashMap<>(overrides);
    }

    public static Platforms defaults() {
        return new Platforms(Map.of());
    }

    public Mapping of(String platform) {
        Mapping m = overrides.get(platform);
        if (m != null) {
            return m;
        }
        return DEFAULTS.getOrDefault(platform, new Mapping(platform.toLowerCase(Locale.ROOT), "cpc", "paid_other", false));
    }

    /** A platform code as stored: lower case, letters, digits and underscores. */
    public static boolean validCode(String platform) {
        return platform != null && platform.matches("[a-z0-9][a-z0-9_]{0,39}");
    }

    /** The workspace's own mappings (without the defaults). */
    public Map<String, Mapping> overrides() {
        return Map.copyOf(overrides);
    }

    /** Every known platform's mapping: the defaults with the workspace's overrides on top. */
    public Map<String, Mapping> all() {
        Map<String, Mapping> all = new java.util.TreeMap<>(DEFAULTS);
        all.putAll(overrides);
        return all;
    }

    public static Map<String, Mapping> defaultMappings() {
        return DEFAULTS;
    }
}
