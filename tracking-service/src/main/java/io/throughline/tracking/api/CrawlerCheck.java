package io.throughline.tracking.api;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.throughline.tracking.config.ShippedData;
import jakarta.enterprise.context.ApplicationScoped;

/** The crawler list, with verdicts cached per user agent: real traffic repeats a few thousand user agents. */
@ApplicationScoped
public class CrawlerCheck {

    private final LoadingCache<String, Boolean> verdicts;

    public CrawlerCheck(ShippedData data) {
        this.verdicts = Caffeine.newBuilder().maximumSize(50_000).build(data.crawlers()::isCrawler);
    }

    public boolean isCrawler(String userAgent) {
        return userAgent != null && !userAgent.isBlank() && verdicts.get(userAgent);
    }
}
