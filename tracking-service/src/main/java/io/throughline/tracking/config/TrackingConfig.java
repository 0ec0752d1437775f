package io.throughline.tracking.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "throughline.tracking")
public interface TrackingConfig {

    /** The MongoDB database holding sites, hits and sessions. */
    @WithDefault("throughline_tracking")
    String database();

    /** The most sites one workspace may register. */
    @WithDefault("200")
    int maxSitesPerTenant();
}
