package io.throughline.tracking.api;

import io.throughline.commons.limits.PublicRateLimits;
import io.throughline.tracking.config.TrackingConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The collector's limits per site and per client address, from its configuration. */
public class CollectLimits {

    @Produces
    @Singleton
    PublicRateLimits limits(TrackingConfig config) {
        TrackingConfig.Collect c = config.collect();
        return new PublicRateLimits(c.sitePerSecond(), c.siteBurst(), c.ipPerSecond(), c.ipBurst(), c.trackedClients());
    }
}
