package io.throughline.identity.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

@ConfigMapping(prefix = "throughline.identity")
public interface IdentityConfig {

    /**
     * Master secret (at least 16 bytes, base64 or plain) from which each workspace's match-key and
     * encryption keys are derived. From the environment in production; changing it orphans every match key.
     */
    String masterKey();

    /** Services that hold personal data and must confirm each erasure. */
    @WithDefault("tracking,calltracking,attribution")
    List<String> erasureConsumers();

    /** Default ISO region for phones written without a country code when the caller names none. */
    @WithDefault("RU")
    String defaultPhoneRegion();
}
