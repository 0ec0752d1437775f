package io.throughline.attribution.processing;

import io.quarkus.runtime.StartupEvent;
import io.throughline.attribution.config.AdSecrets;
import io.throughline.attribution.store.CrmIntegrations;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * At start, seals the CRM webhook secrets stored plain (written before secrets were sealed) or under a key that is no
 * longer the current one: rotating the key ring is putting the new key first, restarting, then dropping the old key.
 */
@ApplicationScoped
public class CrmSecretsResealer {

    private static final Logger LOG = Logger.getLogger(CrmSecretsResealer.class);

    private final CrmIntegrations integrations;
    private final AdSecrets secrets;

    public CrmSecretsResealer(CrmIntegrations integrations, AdSecrets secrets) {
        this.integrations = integrations;
        this.secrets = secrets;
    }

    void start(@Observes StartupEvent event) {
        if (!secrets.configured()) {
            LOG.warn("No secret keys (THROUGHLINE_ATTRIBUTION_SECRET_KEYS): CRM webhook secrets cannot be sealed");
            return;
        }
        int resealed = integrations.reseal();
        if (resealed > 0) {
            LOG.infof("%d CRM webhook secrets sealed under the current key", resealed);
        }
    }
}
