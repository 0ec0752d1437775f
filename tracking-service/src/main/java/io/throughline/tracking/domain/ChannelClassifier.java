package io.throughline.tracking.domain;

import io.throughline.tracking.domain.ChannelRuleSet.ChannelRule;
import io.throughline.tracking.domain.ChannelRuleSet.HostGroup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Channel rules compiled for classifying visits: ordered, first match wins, the last rule's channel otherwise. */
public final class ChannelClassifier {

    public static final int MAX_RULES = 200;
    public static final int MAX_GROUPS = 50;
    public static final int MAX_VALUES = 500;
    private static final Pattern CHANNEL = Pattern.compile("[a-z0-9_]{1,40}");
    static final String FALLBACK = "unassigned";
    private static final int MAX_ANSWERS = 20_000;

    private final java.util.concurrent.ConcurrentHashMap<VisitKey, String> answers = new java.util.concurrent.ConcurrentHashMap<>();

    private final List<Predicate<Visit>> rules;
    private final List<String> channels;
    private final HostSet ignoredReferrers;
    private final Map<String, HostSet> groupHosts;
    private final Map<String, Set<String>> groupSources;

    /** What a visit offers the rules: its effective campaign, the click ids it carried and its external referrer host. */
    public record Visit(Campaign campaign, Set<String> clickIds, String referrerHost, boolean tagged) {
    }

    private ChannelClassifier(ChannelRuleSet set) {
        groupHosts = new HashMap<>();
        groupSources = new HashMap<>();
        set.groups().forEach((name, group) -> {
            groupHosts.put(name, new HostSet(group.hosts()));
            groupSources.put(name, lower(group.sources()));
        });
        ignoredReferrers = new HostSet(set.ignoredReferrers());
        rules = new ArrayList<>();
        channels = new ArrayList<>();
        for (ChannelRule rule : set.rules()) {
            rules.add(compile(rule));
            channels.add(rule.channel());
        }
    }

    /** Compiles a rule set; throws {@link InvalidRules} naming every problem when it cannot be used. */
    public static ChannelClassifier compile(ChannelRuleSet set) {
        List<Violation> problems = violations(set);
        if (!problems.isEmpty()) {
            throw new InvalidRules(problems);
        }
        return new ChannelClassifier(set);
    }

    public String classify(Visit visit) {
        // Visits repeat a small set of (source, medium, campaign, click-id parameters, referrer) combinations:
        // remembering the answers spares walking up to 200 rules per page view.
        VisitKey key = new VisitKey(visit.campaign().source(), visit.campaign().medium(), visit.campaign().campaign(),
                visit.clickIds(), visit.referrerHost(), visit.tagged());
        String known = answers.get(key);
        if (known != null) {
            return known;
        }
        String channel = evaluate(visit);
        if (answers.size() >= MAX_ANSWERS) {
            answers.clear();
        }
        answers.put(key, channel);
        return channel;
    }

    private record VisitKey(String source, String medium, String campaign, Set<String> clickIds, String referrerHost, boolean tagged) {
    }

    private String evaluate(Visit visit) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).test(visit)) {
                return channels.get(i);
            }
        }
        return FALLBACK;
    }

    /** True for referrers that never start a session: payment pages, login providers. */
    public boolean isIgnoredReferrer(String host) {
        return host != null && ignoredReferrers.contains(host);
    }

    /** The kind of site a referring host is ("search_engines", "social_networks", "webmail", ...), or null. */
    public String groupOfHost(String host) {
        for (Map.Entry<String, HostSet> e : groupHosts.entrySet()) {
            if (e.getValue().contains(host)) {
                return e.getKey();
            }
        }
        return null;
    }

    /**
     * A referring host as a source name: the host itself (without "www.") when a group lists it, "google" for
     * any other google.* host, else the host without "www.".
     */
    public String sourceNameOf(String host) {
        String plain = host.startsWith("www.") ? host.substring(4) : host;
        for (HostSet hosts : groupHosts.values()) {
            if (hosts.containsExactly(host)) {
                return plain;
            }
        }
        for (HostSet hosts : groupHosts.values()) {
            String name = hosts.anyTldName(host);
            if (name != null) {
                return name;
            }
        }
        return plain;
    }

    private Predicate<Visit> compile(ChannelRule rule) {
        List<Predicate<Visit>> all = new ArrayList<>();
        if (rule.medium() != null) {
            Set<String> values = lower(rule.medium());
            all.add(v -> v.campaign().medium() != null && values.contains(v.campaign().medium().toLowerCase(Locale.ROOT)));
        }
        if (rule.mediumMatches() != null) {
            Pattern p = Pattern.compile(rule.mediumMatches(), Pattern.CASE_INSENSITIVE);
            all.add(v -> v.campaign().medium() != null && p.matcher(v.campaign().medium()).find());
        }
        if (rule.source() != null) {
            Set<String> values = lower(rule.source());
            all.add(v -> v.campaign().source() != null && values.contains(v.campaign().source().toLowerCase(Locale.ROOT)));
        }
        if (rule.sourceMatches() != null) {
            Pattern p = Pattern.compile(rule.sourceMatches(), Pattern.CASE_INSENSITIVE);
            all.add(v -> v.campaign().source() != null && p.matcher(v.campaign().source()).find());
        }
        if (rule.sourceGroup() != null) {
            Set<String> names = groupSources.get(rule.sourceGroup());
            HostSet hosts = groupHosts.get(rule.sourceGroup());
            all.add(v -> {
                String source = v.campaign().source();
                if (source == null) {
                    return false;
                }
                String s = source.toLowerCase(Locale.ROOT);
                return names.contains(s) || (s.indexOf('.') > 0 && hosts.contains(s));
            });
        }
        if (rule.referrerGroup() != null) {
            HostSet hosts = groupHosts.get(rule.referrerGroup());
            all.add(v -> v.referrerHost() != null && hosts.contains(v.referrerHost()));
        }
        if (rule.clickIds() != null) {
            Set<String> params = Set.copyOf(rule.clickIds());
            all.add(v -> v.clickIds().stream().anyMatch(params::contains));
        }
        if (rule.campaignMatches() != null) {
            Pattern p = Pattern.compile(rule.campaignMatches(), Pattern.CASE_INSENSITIVE);
            all.add(v -> v.campaign().campaign() != null && p.matcher(v.campaign().campaign()).find());
        }
        if (rule.hasCampaign() != null) {
            boolean wanted = rule.hasCampaign();
            all.add(v -> v.tagged() == wanted);
        }
        if (rule.hasReferrer() != null) {
            boolean wanted = rule.hasReferrer();
            all.add(v -> (v.referrerHost() != null) == wanted);
        }
        return v -> {
            for (Predicate<Visit> condition : all) {
                if (!condition.test(v)) {
                    return false;
                }
            }
            return true;
        };
    }

    /** Every problem of a rule set, by JSON path; empty when it compiles. */
    public static List<Violation> violations(ChannelRuleSet set) {
        List<Violation> out = new ArrayList<>();
        if (set.rules().isEmpty()) {
            out.add(new Violation("rules", "must hold at least one rule"));
        }
        if (set.rules().size() > MAX_RULES) {
            out.add(new Violation("rules", "at most " + MAX_RULES + " rules"));
        }
        if (set.groups().size() > MAX_GROUPS) {
            out.add(new Violation("groups", "at most " + MAX_GROUPS + " groups"));
        }
        set.groups().forEach((name, group) -> {
            if (group == null) {
                out.add(new Violation("groups." + name, "must be an object with hosts and sources"));
                return;
            }
            checkValues(out, "groups." + name + ".hosts", group.hosts());
            checkValues(out, "groups." + name + ".sources", group.sources());
            for (int i = 0; i < group.hosts().size(); i++) {
                if (!HostSet.isValid(group.hosts().get(i))) {
                    out.add(new Violation("groups." + name + ".hosts[" + i + "]", "is not a host or a name.* pattern"));
                }
            }
        });
        checkValues(out, "ignored_referrers", set.ignoredReferrers());
        for (int i = 0; i < set.ignoredReferrers().size(); i++) {
            if (!HostSet.isValid(set.ignoredReferrers().get(i))) {
                out.add(new Violation("ignored_referrers[" + i + "]", "is not a host or a name.* pattern"));
            }
        }
        Set<String> groups = new HashSet<>(set.groups().keySet());
        for (int i = 0; i < set.rules().size(); i++) {
            ChannelRule r = set.rules().get(i);
            String at = "rules[" + i + "]";
            if (r == null) {
                out.add(new Violation(at, "must be an object"));
                continue;
            }
            if (r.channel() == null || !CHANNEL.matcher(r.channel()).matches()) {
                out.add(new Violation(at + ".channel", "must be 1-40 lowercase letters, digits or '_'"));
            }
            checkRegex(out, at + ".medium_matches", r.mediumMatches());
            checkRegex(out, at + ".source_matches", r.sourceMatches());
            checkRegex(out, at + ".campaign_matches", r.campaignMatches());
            checkValues(out, at + ".medium", r.medium());
            checkValues(out, at + ".source", r.source());
            checkValues(out, at + ".click_ids", r.clickIds());
            if (r.sourceGroup() != null && !groups.contains(r.sourceGroup())) {
                out.add(new Violation(at + ".source_group", "names no group of this rule set"));
            }
            if (r.referrerGroup() != null && !groups.contains(r.referrerGroup())) {
                out.add(new Violation(at + ".referrer_group", "names no group of this rule set"));
            }
        }
        return out;
    }

    private static void checkValues(List<Violation> out, String field, List<String> values) {
        if (values == null) {
            return;
        }
        if (values.size() > MAX_VALUES) {
            out.add(new Violation(field, "at most " + MAX_VALUES + " values"));
        }
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            if (v == null || v.isBlank() || v.length() > 200) {
                out.add(new Violation(field + "[" + i + "]", "must be 1-200 characters"));
            }
        }
    }

    private static void checkRegex(List<Violation> out, String field, String regex) {
        if (regex == null) {
            return;
        }
        if (regex.length() > 500) {
            out.add(new Violation(field, "at most 500 characters"));
            return;
        }
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            out.add(new Violation(field, "is not a valid regular expression: " + e.getDescription()));
        }
    }

    private static Set<String> lower(List<String> values) {
        Set<String> out = new HashSet<>();
        values.forEach(v -> out.add(v.toLowerCase(Locale.ROOT)));
        return out;
    }

    /** A rule set that cannot be compiled, with every problem it has. */
    public static final class InvalidRules extends RuntimeException {
        private final transient List<Violation> violations;

        public InvalidRules(List<Violation> violations) {
            super("invalid channel rules: " + violations, null, false, false);
            this.violations = List.copyOf(violations);
        }

        public List<Violation> violations() {
            return violations;
        }
    }
}
