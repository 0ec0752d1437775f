package io.throughline.reporting.config;

import io.throughline.commons.api.ProblemException;
import io.throughline.commons.secrets.SecretBox;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The key ring integration credentials are sealed with (THROUGHLINE_REPORTING_SECRET_KEYS). Without one, everything
 * but connectors works; creating or running a connector says what is missing.
 */
@ApplicationScoped
public class Secrets {

    private final SecretBox box;

    public Secrets(ReportingConfig config) {
        this.box = config.secretKeys().filter(k -> !k.isBlank()).map(SecretBox::new).orElse(null);
    }

    public SecretBox box() {
        if (box == null) {
            throw ProblemException.unavailable("no secret keys are configured (THROUGHLINE_REPORTING_SECRET_KEYS): connectors need them to seal"
                    + " credentials");
        }
        return box;
    }
}
