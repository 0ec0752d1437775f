package io.throughline.tracking.config;

import io.throughline.commons.secrets.SecretBox;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The key ring raw contacts are sealed with while tracking holds them (THROUGHLINE_TRACKING_SECRET_KEYS: id:base64 of
 * 32 bytes, comma-separated, the first seals, all open): batches in the spool, and identity links (e-mails, phones, user
 * ids) queued for identity-service. Without keys both are written plain, and the collector says so at start.
 */
@ApplicationScoped
public class TrackingSecrets {

    private final SecretBox box;

    @jakarta.inject.Inject
    public TrackingSecrets(TrackingConfig config) {
        this(config.secretKeys().filter(k -> !k.isBlank()).map(SecretBox::new).orElse(null));
    }

    /** A ring of its own (null: none), for tools and tests. */
    public TrackingSecrets(SecretBox box) {
        this.box = box;
    }

    public Optional<SecretBox> box() {
        return Optional.ofNullable(box);
    }
}
