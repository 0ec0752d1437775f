package io.throughline.tracking.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "throughline.tracking")
public interface TrackingConfig {

    /** The MongoDB database holding sites, hits and sessions. */
    @WithDefault("throughline_tracking")
    String database();

    /** The most sites one workspace may register. */
    @WithDefault("200")
    int maxSitesPerTenant();

    Collect collect();

    Collector collector();

    Spool spool();

    Scoring scoring();

    Outbox outbox();

    Imports imports();

    /**
     * The key ring the spool seals batches with (THROUGHLINE_TRACKING_SECRET_KEYS: {@code id:base64} of 32 bytes,
     * comma-separated, the first seals, all open). Without it, spooled batches, leads' contacts included, are written plain.
     */
    java.util.Optional<String> secretKeys();

    /** How far behind now reporting's reads of changed contacts stay (a write in flight is never passed by a cursor). */
    @WithDefault("PT5S")
    Duration feedLag();

    interface Collect {
        /** Largest /collect body. */
        @WithDefault("65536")
        int maxBodyBytes();

        /** Sustained batches per second one site may send (all its visitors together). */
        @WithDefault("500")
        long sitePerSecond();

        @WithDefault("2000")
        long siteBurst();

        /** Sustained batches per second from one client IP. */
        @WithDefault("20")
        long ipPerSecond();

        @WithDefault("100")
        long ipBurst();

        /** How many sites' and IPs' buckets are remembered at once. */
        @WithDefault("100000")
        long trackedClients();

        /**
         * Where accepted hits go: {@code store} (MongoDB, or the spool while it is down), {@code spool} (always the
         * spool first: the durable path the benchmark measures), or {@code discard} (benchmarks of the parsing path
         * only; never in production).
         */
        @WithDefault("store")
        String sink();
    }

    /** The public hot path's own listener (/collect and /t.js); the gateway routes the public paths to it. */
    interface Collector {
        /** Its port: 8091 on one machine, 8090 in Kubernetes; 0 picks a free one, -1 switches it off. */
        @WithDefault("8091")
        int port();

        @WithDefault("0.0.0.0")
        String host();
    }

    interface Spool {
        /** Directory of the on-disk spool that holds acknowledged batches while the store is down. */
        @WithDefault("data/spool")
        String directory();

        /** The spool's bound; when full, /collect answers 503 with Retry-After. */
        @WithDefault("536870912")
        long maxBytes();

        /** Size at which the spool starts a new segment file. */
        @WithDefault("16777216")
        long segmentBytes();

        /** How often the spool checks whether the store is back. */
        @WithDefault("1S")
        Duration probeInterval();
    }

    interface Scoring {
        /** More hits than this from one visitor within a minute is not a person. */
        @WithDefault("60")
        int maxHitsPerMinute();
    }

    /** How often identity-service's erasure feed is read (scheduler syntax: 30s, 5m). */
    @WithDefault("30s")
    String erasureInterval();

    interface Outbox {
        /** How often due links are retried (scheduler syntax); a stored lead is sent at once anyway. */
        @WithDefault("2s")
        String interval();

        /** Links delivered per round. */
        @WithDefault("100")
        int batchSize();

        /** The longest wait between two attempts of one link. */
        @WithDefault("5M")
        Duration maxBackoff();

        /** After this many failed attempts with a permanent error the link is parked (kept, not retried). */
        @WithDefault("20")
        int maxAttempts();
    }

    /** The authenticated import of historical hits (backfills, migrations, the demo's history). */
    interface Imports {
        /** How old an imported hit may be; the browser's /collect keeps its 72 hours. */
        @WithDefault("P400D")
        Duration maxAge();

        /** Visitor batches per import request (each up to 50 events, the body up to 2 MB). */
        @WithDefault("100")
        int maxBatches();
    }
}
