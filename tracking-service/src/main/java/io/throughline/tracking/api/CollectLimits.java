package io.throughline.tracking.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.throughline.tracking.config.TrackingConfig;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Token buckets for /collect: one per site (all its visitors together) and one per client IP, kept in bounded
 * caches so a flood of distinct clients cannot exhaust memory. The gateway limits public paths per IP too;
 * these are the collector's own, also when it is reached without the gateway.
 */
@Singleton
public class CollectLimits {

    private final Cache<String, Bucket> sites;
    private final Cache<String, Bucket> ips;
    private final long sitePerSecond;
    private final long siteBurst;
    private final long ipPerSecond;
    private final long ipBurst;

    @jakarta.inject.Inject
    public CollectLimits(TrackingConfig config) {
        this(config.collect().sitePerSecond(), config.collect().siteBurst(), config.collect().ipPerSecond(), config.collect().ipBurst(),
                config.collect().trackedClients());
    }

    CollectLimits(long sitePerSecond, long siteBurst, long ipPerSecond, long ipBurst, long trackedClients) {
        this.sitePerSecond = sitePerSecond;
        this.siteBurst = siteBurst;
        this.ipPerSecond = ipPerSecond;
        this.ipBurst = ipBurst;
        // Bounded by size only: per-read expiry bookkeeping cost more than the buckets themselves.
        this.sites = Caffeine.newBuilder().maximumSize(trackedClients).build();
        this.ips = Caffeine.newBuilder().maximumSize(trackedClients).build();
    }

    /** Zero when the request may pass, else the seconds the client should wait; the IP is checked first. */
    public long waitSeconds(String siteKey, String ip) {
        long ipWait = take(ips, ip == null ? "unknown" : ip, ipPerSecond, ipBurst);
        if (ipWait > 0) {
            return ipWait;
        }
        return take(sites, siteKey, sitePerSecond, siteBurst);
    }

    private static long take(Cache<String, Bucket> buckets, String key, long perSecond, long burst) {
        ConsumptionProbe probe = buckets.get(key, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)).build()).build())
                .tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    }
}
