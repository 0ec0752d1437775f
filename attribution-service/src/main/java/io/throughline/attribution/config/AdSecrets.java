package io.throughline.attribution.config;

import io.throughline.commons.api.ProblemException;
import io.throughline.commons.secrets.SecretBox;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The key ring ad platform credentials and CRM webhook secrets are sealed with (THROUGHLINE_ATTRIBUTION_SECRET_KEYS),
 * and whether connection addresses may point at private networks (tests and on-premise fakes only). Without keys,
 * everything but ad connections and CRM integrations works; creating one says what is missing.
 */
@ApplicationScoped
public class AdSecrets {

    private final SecretBox box;
    private final boolean allowPrivateNetworks;

    public AdSecrets(@ConfigProperty(name = "throughline.attribution.secret-keys") Optional<String> keys,
            @ConfigProperty(name = "throughline.attribution.connections.allow-private-networks", defaultValue = "false") boolean allowPrivateNetworks) {
        this.box = keys.filter(k -> !k.isBlank()).map(SecretBox::new).orElse(null);
        this.allowPrivateNetworks = allowPrivateNetworks;
    }

    public SecretBox box() {
        if (box == null) {
            throw ProblemException.unavailable("no secret keys are configured (THROUGHLINE_ATTRIBUTION_SECRET_KEYS): ad connections and CRM"
                    + " integrations need them to seal credentials");
        }
        return box;
    }

    /** Whether a key ring is configured. */
    public boolean configured() {
        return box != null;
    }

    public boolean allowPrivateNetworks() {
        return allowPrivateNetworks;
    }
}
