package io.throughline.tracking.domain;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a page view's traffic source from its landing URL and referrer, with a workspace's parameter registry
 * and channel rules.
 */
public final class TrafficSources {

    /** The cross-domain linker parameter t.js adds to links between a site's domains. */
    public static final String LINKER_PARAM = "_tl";
    static final int MAX_FIELD = 500;
    static final int MAX_OTHER_PARAMS = 30;

    private final ParameterRegistry registry;
    private final ChannelClassifier classifier;

    public TrafficSources(ParameterRegistry registry, ChannelClassifier classifier) {
        this.registry = registry;
        this.classifier = classifier;
    }

    public TrafficSource analyze(PageUrl page, String referrer, List<String> siteDomains) {
        Map<String, String> tags = new HashMap<>();
        Map<String, String> clickIds = new LinkedHashMap<>();
        Map<String, String> other = new LinkedHashMap<>();
        for (Map.Entry<String, String> param : page.query().entrySet()) {
            String name = param.getKey();
            String value = cut(param.getValue());
            String utmField = UtmParameters.field(name);
            if (utmField != null) {
                if (!value.isEmpty()) {
                    tags.putIfAbsent(utmField, value);
                }
            } else if (registry.clickId(name) != null) {
                if (!value.isEmpty()) {
                    clickIds.put(name, value);
                }
            } else if (registry.campaignAliases().containsKey(name)) {
                alias(registry.campaignAliases().get(name), value).forEach(tags::putIfAbsent);
            } else if (!name.equals(LINKER_PARAM) && other.size() < MAX_OTHER_PARAMS) {
                other.put(cut(name), UrlRedaction.sensitive(name, value) ? UrlRedaction.REDACTED : value);
            }
        }
        String referrerHost = PageUrl.hostOf(referrer);
        boolean internal = referrerHost != null && (ownDomain(referrerHost, siteDomains) || classifier.isIgnoredReferrer(referrerHost));
        String external = referrerHost == null || internal ? null : referrerHost;

        TrafficSource.Kind kind;
        if (!tags.isEmpty()) {
            kind = TrafficSource.Kind.TAGGED;
        } else if (!clickIds.isEmpty()) {
            kind = TrafficSource.Kind.CLICK_ID;
        } else if (external != null) {
            kind = TrafficSource.Kind.REFERRAL;
        } else {
            kind = internal ? TrafficSource.Kind.INTERNAL : TrafficSource.Kind.DIRECT;
        }
        Campaign campaign = effectiveCampaign(tags, clickIds, external);
        String channel = classifier.classify(new ChannelClassifier.Visit(campaign, clickIds.keySet(), external,
                kind == TrafficSource.Kind.TAGGED));
        return new TrafficSource(kind, campaign, Map.copyOf(clickIds), Map.copyOf(other), external, channel);
    }

    private static boolean ownDomain(String host, List<String> siteDomains) {
        for (String domain : siteDomains) {
            if (PageUrl.isWithin(host, domain)) {
                return true;
            }
        }
        return false;
    }

    /**
     * UTM tags as written (source and medium lowercased so that "Yandex" and "yandex" are one source); what
     * they leave out comes from the first click id, else the referrer, else "(direct)".
     */
    private Campaign effectiveCampaign(Map<String, String> tags, Map<String, String> clickIds, String referrerHost) {
        String source = lower(tags.get("source"));
        String medium = lower(tags.get("medium"));
        if ((source == null || medium == null) && !clickIds.isEmpty()) {
            ClickIdDefinition first = registry.clickId(clickIds.keySet().iterator().next());
            source = source == null ? first.source() : source;
            medium = medium == null ? first.medium() : medium;
        }
        if ((source == null || medium == null) && referrerHost != null) {
            source = source == null ? classifier.sourceNameOf(referrerHost) : source;
            medium = medium == null ? referralMedium(referrerHost) : medium;
        }
        if (source == null && medium == null && tags.isEmpty()) {
            return Campaign.DIRECT;
        }
        return new Campaign(source == null ? "(not set)" : source, medium == null ? "(not set)" : medium,
                tags.get("campaign"), tags.get("term"), tags.get("content"), tags.get("utm_id"));
    }

    private String referralMedium(String host) {
        String group = classifier.groupOfHost(host);
        if (group == null) {
            return "referral";
        }
        return switch (group) {
            case "search_engines" -> "organic";
            case "social_networks" -> "social";
            case "webmail" -> "email";
            default -> "referral";
        };
    }

    /** The campaign fields one alias parameter gives: a field directly, or the four parts of an _openstat tag. */
    static Map<String, String> alias(String target, String value) {
        if (value.isEmpty()) {
            return Map.of();
        }
        if (!"openstat".equals(target)) {
            return Map.of(target, value);
        }
        String decoded = openstat(value);
        if (decoded == null) {
            return Map.of();
        }
        String[] parts = decoded.split(";", -1);
        Map<String, String> out = new HashMap<>();
        put(out, "source", parts, 0);
        put(out, "campaign", parts, 1);
        put(out, "content", parts, 2);
        put(out, "term", parts, 3);
        if (!out.isEmpty()) {
            out.put("medium", "cpc");
        }
        return out;
    }

    private static String openstat(String value) {
        if (value.chars().filter(c -> c == ';').count() == 3) {
            return value;
        }
        for (Base64.Decoder decoder : List.of(Base64.getDecoder(), Base64.getUrlDecoder())) {
            try {
                String decoded = new String(decoder.decode(value.strip()), StandardCharsets.UTF_8);
                if (decoded.chars().filter(c -> c == ';').count() == 3) {
                    return decoded;
                }
            } catch (IllegalArgumentException ignored) {
                // not this alphabet
            }
        }
        return null;
    }

    private static void put(Map<String, String> out, String field, String[] parts, int index) {
        if (parts.length > index && !parts[index].isBlank()) {
            out.put(field, cut(parts[index].strip()));
        }
    }

    private static String lower(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }

    static String cut(String value) {
        return value.length() > MAX_FIELD ? value.substring(0, MAX_FIELD) : value;
    }
}
