package io.throughline.commons.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;

/**
 * Token buckets for a public endpoint (/collect, /dni): one per site (all its visitors together) and one per
 * client address, in caches bounded by size so a flood of distinct clients cannot exhaust memory. The gateway
 * limits public paths per address too; these are the service's own, also when it is reached directly.
 */
public final class PublicRateLimits {

    private final Cache<String, Bucket> sites;
    private final Cache<String, Bucket> addresses;
    private final long sitePerSecond;
    private final long siteBurst;
    private final long addressPerSecond;
    private final long addressBurst;

    public PublicRateLimits(long sitePerSecond, long siteBurst, long addressPerSecond, long addressBurst, long trackedClients) {
        this.sitePerSecond = sitePerSecond;
        this.siteBurst = siteBurst;
        this.addressPerSecond = addressPerSecond;
        this.addressBurst = addressBurst;
        // Bounded by size only: per-read expiry bookkeeping cost more than the buckets themselves.
        this.sites = Caffeine.newBuilder().maximumSize(trackedClients).build();
        this.addresses = Caffeine.newBuilder().maximumSize(trackedClients).build();
    }

    /** Zero when the request may pass, else the seconds the client should wait; the address is checked first. */
    public long waitSeconds(String siteKey, String address) {
        long addressWait = take(addresses, address == null ? "unknown" : address, addressPerSecond, addressBurst);
        if (addressWait > 0) {
            return addressWait;
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
