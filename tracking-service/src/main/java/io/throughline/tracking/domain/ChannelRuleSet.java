package io.throughline.tracking.domain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * A workspace's channel rules as it edits them: named groups of hosts and source names, referrers that never
 * start a session (payment pages, login providers), and the ordered rules (first match wins).
 */
@JsonIgnoreProperties({"_comment"})
public record ChannelRuleSet(Map<String, HostGroup> groups, List<String> ignoredReferrers, List<ChannelRule> rules) {

    public ChannelRuleSet {
        groups = groups == null ? Map.of() : Map.copyOf(groups);
        ignoredReferrers = ignoredReferrers == null ? List.of() : List.copyOf(ignoredReferrers);
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    /** Hosts ("google.*" for any TLD, "vk.com" with its subdomains) and utm_source names of one kind of site. */
    @JsonIgnoreProperties({"_comment"})
    public record HostGroup(List<String> hosts, List<String> sources) {
        public HostGroup {
            hosts = hosts == null ? List.of() : List.copyOf(hosts);
            sources = sources == null ? List.of() : List.copyOf(sources);
        }
    }

    /**
     * One rule: every condition it states must hold; a list matches any of its values; absent conditions
     * do not matter. A rule with no condition matches everything (the last, fallback rule).
     */
    @JsonIgnoreProperties({"_comment"})
    public record ChannelRule(String channel, List<String> medium, String mediumMatches, List<String> source,
            String sourceMatches, String sourceGroup, String referrerGroup, List<String> clickIds, String campaignMatches,
            Boolean hasCampaign, Boolean hasReferrer) {
    }
}
