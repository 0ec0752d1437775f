package io.throughline.calltracking.processing;

import io.quarkus.runtime.StartupEvent;
import io.throughline.calltracking.config.TelephonySecrets;
import io.throughline.calltracking.store.Integrations;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * At start, seals the telephony webhook secrets stored plain (written before secrets were sealed) or under a key that is no
 * longer the current one: rotating the key ring is putting the new key first, restarting, then dropping the old key.
 */
@ApplicationScoped
public class TelephonySecretsResealer {

    private static final Logger LOG = Logger.getLogger(TelephonySecretsResealer.class);

    private final Integrations integrations;
    private final TelephonySecrets secrets;

    public TelephonySecretsResealer(Integrations integrations, TelephonySecrets secrets) {
        this.integrations = integrations;
        this.secrets = secrets;
    }

    void start(@Observes StartupEvent event) {
        if (!secrets.configured()) {
            LOG.warn("No secret keys (THROUGHLINE_CALLTRACKING_SECRET_KEYS): telephony webhook secrets cannot be sealed");
            return;
        }
        int resealed = integrations.reseal();
        if (resealed > 0) {
            LOG.infof("%d telephony webhook secrets sealed under the current key", resealed);
        }
    }
}
