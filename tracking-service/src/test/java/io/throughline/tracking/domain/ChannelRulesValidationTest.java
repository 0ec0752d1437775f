package io.throughline.tracking.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.throughline.tracking.domain.ChannelRuleSet.ChannelRule;
import io.throughline.tracking.domain.ChannelRuleSet.HostGroup;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChannelRulesValidationTest {

    private static ChannelRule rule(String channel) {
        return new ChannelRule(channel, null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void namesEveryProblemByItsPath() {
        ChannelRuleSet set = new ChannelRuleSet(Map.of("search", new HostGroup(List.of("google.*", "not a host"), List.of())),
                List.of("yoomoney.ru"), List.of(
                        new ChannelRule("Paid Search", null, "([", null, null, "nosuch", null, null, null, null, null),
                        rule("direct")));
        List<String> fields = ChannelClassifier.violations(set).stream().map(Violation::field).toList();
        assertEquals(Set.of("groups.search.hosts[1]", "rules[0].channel", "rules[0].medium_matches", "rules[0].source_group"), Set.copyOf(fields));
        assertThrows(ChannelClassifier.InvalidRules.class, () -> ChannelClassifier.compile(set));
    }

    @Test
    void rulesAreOrderedAndTheLastOneCatchesTheRest() {
        ChannelClassifier c = ChannelClassifier.compile(new ChannelRuleSet(Map.of(), List.of(), List.of(
                new ChannelRule("vip", null, null, List.of("partner"), null, null, null, null, null, null, null),
                new ChannelRule("paid", null, "^cp", null, null, null, null, null, null, null, null),
                rule("everything_else"))));
        assertEquals("vip", c.classify(new ChannelClassifier.Visit(new Campaign("partner", "cpc", null, null, null, null), Set.of(), null, true)));
        assertEquals("paid", c.classify(new ChannelClassifier.Visit(new Campaign("x", "CPC", null, null, null, null), Set.of(), null, true)));
        assertEquals("everything_else", c.classify(new ChannelClassifier.Visit(Campaign.DIRECT, Set.of(), null, false)));
    }

    @Test
    void anEmptyRuleSetIsRefused() {
        assertEquals("rules", ChannelClassifier.violations(new ChannelRuleSet(null, null, null)).get(0).field());
    }

    @Test
    void registryProblemsAreNamed() {
        ParameterRegistry registry = new ParameterRegistry(List.of(
                new ClickIdDefinition("gclid", "Google", "google", "cpc"),
                new ClickIdDefinition("gclid", "Google", "google", "cpc"),
                new ClickIdDefinition("utm_source", "x", "x", "x"),
                new ClickIdDefinition("bad param", "x", "x", "x"),
                new ClickIdDefinition("vkclid", "VK", "", "cpc")), Map.of("from", "source", "ref", "nowhere"));
        assertEquals(Set.of("click_ids[1].param", "click_ids[2].param", "click_ids[3].param", "click_ids[4].source", "campaign_aliases.ref"),
                Set.copyOf(registry.violations().stream().map(Violation::field).toList()));
    }
}
