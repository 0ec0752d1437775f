package io.throughline.attribution.processing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.throughline.attribution.client.AdPlatforms;
import io.throughline.attribution.config.AdSecrets;
import io.throughline.attribution.domain.audiences.AudiencePlatform;
import io.throughline.attribution.store.AdConnections;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** A connection opened for a call: its credentials unsealed (resealed under the current key when an older one sealed them). */
@ApplicationScoped
public class AdTargets {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {
    };
    private static final Duration MAX_BACKOFF = Duration.ofHours(1);

    private final AdSecrets secrets;
    private final AdConnections connections;

    public AdTargets(AdSecrets secrets, AdConnections connections) {
        this.secrets = secrets;
        this.connections = connections;
    }

    public AdPlatforms.Target open(AdConnections.Connection c) {
        String plain = secrets.box().open(c.tenantId(), c.credentials());
        if (secrets.box().needsResealing(c.credentials())) {
            connections.reseal(c.id(), secrets.box().seal(c.tenantId(), plain));
        }
        try {
            return new AdPlatforms.Target(AudiencePlatform.of(c.platform()).orElseThrow(), c.baseUrl(), JSON.readValue(plain, MAP),
                    JSON.readValue(c.options(), MAP), secrets.allowPrivateNetworks());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable connection " + c.id(), e);
        }
    }

    /** When to try again after the n-th failure: 10 s doubling, at most an hour. */
    static Instant backoff(int attempts, Instant now) {
        long seconds = Math.min(MAX_BACKOFF.toSeconds(), 10L << Math.min(attempts, 12));
        return now.plusSeconds(seconds);
    }
}
