package io.throughline.tracking.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which landing-page query parameters mean something: ad click ids (each kept, several at once) and aliases
 * that carry campaign fields under another name ({@code from=...}, the legacy {@code _openstat}). A workspace
 * may replace the shipped registry with its own.
 */
public final class ParameterRegistry {

    public static final int MAX_CLICK_IDS = 100;
    public static final int MAX_ALIASES = 50;
    /** Campaign fields an alias may fill, plus the decoder of the legacy _openstat tag. */
    public static final Set<String> ALIAS_TARGETS = Set.of("source", "medium", "campaign", "term", "content", "utm_id", "openstat");
    private static final Pattern PARAM = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");

    private final List<ClickIdDefinition> clickIds;
    private final Map<String, String> campaignAliases;
    private final Map<String, ClickIdDefinition> byParam = new java.util.HashMap<>();

    public ParameterRegistry(List<ClickIdDefinition> clickIds, Map<String, String> campaignAliases) {
        // Nulls are kept (not refused here) so that violations() can name them.
        this.clickIds = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(clickIds));
        this.campaignAliases = Map.copyOf(new LinkedHashMap<>(campaignAliases));
        for (ClickIdDefinition d : this.clickIds) {
            if (d != null && d.param() != null) {
                byParam.putIfAbsent(d.param(), d);
            }
        }
    }

    public List<ClickIdDefinition> clickIds() {
        return clickIds;
    }

    public Map<String, String> campaignAliases() {
        return campaignAliases;
    }

    public ClickIdDefinition clickId(String param) {
        return byParam.get(param);
    }

    /** Every problem of a registry a workspace wants to save, by JSON path; empty when it is valid. */
    public List<Violation> violations() {
        List<Violation> out = new ArrayList<>();
        if (clickIds.size() > MAX_CLICK_IDS) {
            out.add(new Violation("click_ids", "at most " + MAX_CLICK_IDS + " click ids"));
        }
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < clickIds.size(); i++) {
            ClickIdDefinition d = clickIds.get(i);
            String at = "click_ids[" + i + "]";
            if (d == null || d.param() == null || !PARAM.matcher(d.param()).matches()) {
                out.add(new Violation(at + ".param", "must be 1-64 letters, digits, '_', '-' or '.'"));
                continue;
            }
            if (!seen.add(d.param())) {
                out.add(new Violation(at + ".param", "is listed twice"));
            }
            if (UtmParameters.isUtm(d.param())) {
                out.add(new Violation(at + ".param", "is a UTM tag, not a click id"));
            }
            if (d.source() == null || d.source().isBlank() || d.source().length() > 100) {
                out.add(new Violation(at + ".source", "is required (at most 100 characters)"));
            }
            if (d.medium() == null || d.medium().isBlank() || d.medium().length() > 100) {
                out.add(new Violation(at + ".medium", "is required (at most 100 characters)"));
            }
        }
        if (campaignAliases.size() > MAX_ALIASES) {
            out.add(new Violation("campaign_aliases", "at most " + MAX_ALIASES + " aliases"));
        }
        campaignAliases.forEach((param, target) -> {
            if (!PARAM.matcher(param).matches() || UtmParameters.isUtm(param)) {
                out.add(new Violation("campaign_aliases." + param, "is not a usable parameter name"));
            } else if (!ALIAS_TARGETS.contains(target)) {
                out.add(new Violation("campaign_aliases." + param, "must map to one of " + new java.util.TreeSet<>(ALIAS_TARGETS)));
            } else if (seen.contains(param)) {
                out.add(new Violation("campaign_aliases." + param, "is already a click id"));
            }
        });
        return out;
    }
}
