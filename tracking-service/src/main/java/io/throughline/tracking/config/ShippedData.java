package io.throughline.tracking.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.throughline.tracking.domain.ChannelRuleSet;
import io.throughline.tracking.domain.ClickIdDefinition;
import io.throughline.tracking.domain.CrawlerUserAgents;
import io.throughline.tracking.domain.DisposableEmailDomains;
import io.throughline.tracking.domain.ParameterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data files tracking-service ships (src/main/resources/tracking): default channel rules, the click-id
 * registry, the crawler user-agent list and the disposable e-mail domains. Loaded once at start (eagerly: loading
 * 120,000 domains lazily blocked the first request's event loop).
 */
@Startup
@Singleton
public class ShippedData {

    /** Reads the documents strictly: a misspelt key in a rule is an error, not a silently ignored condition. */
    public static final ObjectMapper STRICT = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private final ChannelRuleSet channelRules;
    private final ParameterRegistry parameters;
    private final CrawlerUserAgents crawlers;
    private final DisposableEmailDomains disposable;

    public ShippedData() {
        try {
            channelRules = STRICT.readValue(resource("channel-rules.json"), ChannelRuleSet.class);
            parameters = parameters(STRICT.readTree(resource("click-ids.json")));
            List<String> patterns = new ArrayList<>();
            for (JsonNode crawler : STRICT.readTree(resource("crawler-user-agents.json"))) {
                patterns.add(crawler.get("pattern").asText());
            }
            crawlers = new CrawlerUserAgents(patterns);
            disposable = new DisposableEmailDomains(lines(resource("disposable-email-domains.txt")));
        } catch (IOException e) {
            throw new UncheckedIOException("tracking-service's shipped data files are unreadable", e);
        }
    }

    /** A registry document ({"click_ids": [...], "campaign_aliases": {...}}) read strictly. */
    public static ParameterRegistry parameters(JsonNode document) throws IOException {
        List<ClickIdDefinition> clickIds = new ArrayList<>();
        JsonNode ids = document.path("click_ids");
        for (int i = 0; i < ids.size(); i++) {
            clickIds.add(STRICT.treeToValue(ids.get(i), ClickIdDefinition.class));
        }
        Map<String, String> aliases = new LinkedHashMap<>();
        document.path("campaign_aliases").properties().forEach(e -> aliases.put(e.getKey(), e.getValue().asText()));
        return new ParameterRegistry(clickIds, aliases);
    }

    public ChannelRuleSet channelRules() {
        return channelRules;
    }

    public ParameterRegistry parameters() {
        return parameters;
    }

    public CrawlerUserAgents crawlers() {
        return crawlers;
    }

    public DisposableEmailDomains disposableEmailDomains() {
        return disposable;
    }

    private static InputStream resource(String name) {
        InputStream in = ShippedData.class.getResourceAsStream("/tracking/" + name);
        if (in == null) {
            throw new IllegalStateException("missing data file tracking/" + name);
        }
        return in;
    }

    private static List<String> lines(InputStream in) throws IOException {
        List<String> out = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null;) {
                String trimmed = line.strip();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    out.add(trimmed);
                }
            }
        }
        return out;
    }
}
