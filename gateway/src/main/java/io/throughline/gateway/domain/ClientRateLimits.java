package io.throughline.gateway.domain;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;

/**
 * A token bucket per client (a token's subject, or an IP on public paths), kept in a bounded cache so a
 * flood of distinct clients cannot exhaust memory.
 */
public final class ClientRateLimits {

    private final Cache<String, Bucket> buckets;
    private final long perSecond;
    private final long burst;

    public ClientRateLimits(long perSecond, long burst, long maxClients) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.buckets = Caffeine.newBuilder().maximumSize(maxClients).expireAfterAccess(Duration.ofMinutes(10)).build();
    }

    /** Takes one request from the client's bucket: zero when allowed, else the seconds to wait. */
    public long tryAcquire(String client) {
        ConsumptionProbe probe = buckets.get(client, k -> newBucket()).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return 0;
        }
        return Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)).build())
                .build();
    }
}
