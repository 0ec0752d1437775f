package io.throughline.tracking.api;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.throughline.tracking.config.ShippedData;
import io.throughline.tracking.domain.UserAgentFacts;
import jakarta.inject.Singleton;

/** What user agents say (crawler list, headless markers, device class), cached per string: real traffic repeats a few thousand. */
@Singleton
public class UserAgents {

    private final LoadingCache<String, UserAgentFacts> facts;

    public UserAgents(ShippedData data) {
        this.facts = Caffeine.newBuilder().maximumSize(50_000).build(ua -> UserAgentFacts.of(ua, data.crawlers()::isCrawler));
    }

    public UserAgentFacts of(String userAgent) {
        return facts.get(userAgent == null ? "" : userAgent);
    }
}
