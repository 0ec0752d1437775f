package io.throughline.calltracking.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** calltracking-service settings ({@code throughline.calltracking.*}). */
@ConfigMapping(prefix = "throughline.calltracking")
public interface CallTrackingConfig {

    Dni dni();

    Processing processing();

    Webhooks webhooks();

    /**
     * The address telephony providers call (e.g. https://track.example.com): Twilio signs the full URL it
     * posted to, so the webhook adapter needs it to check X-Twilio-Signature behind the gateway.
     */
    Optional<String> publicBaseUrl();

    /** The key ring telephony webhook secrets are sealed with at rest ({@link TelephonySecrets}). */
    Optional<String> secretKeys();

    /** How often identity-service's erasure feed is polled. */
    @WithDefault("30s")
    Duration erasureInterval();

    /** How far behind now reporting's reads of changed calls stay (a write in flight is never passed by a cursor). */
    @WithDefault("PT5S")
    Duration feedLag();

    /** The public DNI endpoint's limits. */
    interface Dni {
        /** Largest request body. */
        @WithDefault("8192")
        int maxBodyBytes();

        /** Requests a second per site (all its visitors together): a heartbeat a minute per open page. */
        @WithDefault("200")
        long sitePerSecond();

        @WithDefault("1000")
        long siteBurst();

        /** Requests a second per client address. */
        @WithDefault("5")
        long ipPerSecond();

        @WithDefault("30")
        long ipBurst();

        @WithDefault("100000")
        long trackedClients();

        /** How often the snippet renews the hold while the page is visible. */
        @WithDefault("60")
        int heartbeatSeconds();

        /** How long site and pool settings are cached on the DNI path. */
        @WithDefault("10s")
        Duration settingsTtl();
    }

    /** Telephony webhooks' limits: per integration (a PBX's bursts) and per client address. */
    interface Webhooks {
        @WithDefault("100")
        long perSecond();

        @WithDefault("2000")
        long burst();
    }

    /** The call processor: matching, enrichment, quality and identity links. */
    interface Processing {
        /** How often due calls are looked for (webhooks also start a round at once). */
        @WithDefault("2s")
        Duration interval();

        @WithDefault("100")
        int batchSize();

        /** Longest wait before retrying a call whose enrichment or identity link failed. */
        @WithDefault("5m")
        Duration maxBackoff();
    }
}
