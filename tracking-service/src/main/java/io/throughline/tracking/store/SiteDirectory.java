package io.throughline.tracking.store;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.throughline.tracking.domain.Site;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Sites by public key for the public endpoints, cached: every /collect request names its site, and a cached
 * site is answered on the calling thread without touching the store. Unknown keys are cached briefly, so a
 * flood of made-up keys does not reach the store; known sites keep being served while the store is down.
 */
@Singleton
public class SiteDirectory {

    /** Known sites stay while the store is down; unknown keys only briefly, so a new site works soon. */
    private static final Duration KNOWN = Duration.ofHours(24);
    private static final Duration UNKNOWN = Duration.ofSeconds(10);

    private final AsyncLoadingCache<String, Optional<Site>> byKey;
    private final AsyncLoadingCache<String, Boolean> ownedHosts;

    public SiteDirectory(SiteStore store) {
        Executor lookups = StoreLookups.executor("site-lookup");
        this.byKey = Caffeine.newBuilder().maximumSize(100_000).refreshAfterWrite(Duration.ofSeconds(60))
                .expireAfter(Expiry.<String, Optional<Site>>writing((key, site) -> site.isPresent() ? KNOWN : UNKNOWN))
                .executor(lookups).buildAsync(store::findByPublicKey);
        this.ownedHosts = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofSeconds(60))
                .executor(lookups).buildAsync(store::anyOwns);
    }

    /** The site, or empty for an unknown key; fails with the store's error when the key is not cached and the store is down. */
    public CompletableFuture<Optional<Site>> byPublicKey(String publicKey) {
        return byKey.get(publicKey);
    }

    /** Whether any registered site lists this browser host (answers CORS preflights, which name no site). */
    public CompletableFuture<Boolean> anySiteOwnsHost(String host) {
        return ownedHosts.get(host);
    }

    public void invalidate(String publicKey) {
        byKey.synchronous().invalidate(publicKey);
    }
}
