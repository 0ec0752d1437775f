package io.throughline.calltracking.config;

import io.throughline.commons.api.ProblemException;
import io.throughline.commons.secrets.SecretBox;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The key ring telephony webhook secrets (a PBX's HMAC secret, Twilio's Auth Token, Zadarma's API secret) are sealed
 * with at rest (THROUGHLINE_CALLTRACKING_SECRET_KEYS: id:base64 of 32 bytes, comma-separated, the first seals, all
 * open). Without keys, creating an integration says what is missing; secrets stored plain before still verify.
 */
@ApplicationScoped
public class TelephonySecrets {

    private final SecretBox box;

    public TelephonySecrets(CallTrackingConfig config) {
        this.box = config.secretKeys().filter(k -> !k.isBlank()).map(SecretBox::new).orElse(null);
    }

    public boolean configured() {
        return box != null;
    }

    public SecretBox box() {
        if (box == null) {
            throw ProblemException.unavailable("no secret keys are configured (THROUGHLINE_CALLTRACKING_SECRET_KEYS): telephony integrations need"
                    + " them to seal their secrets");
        }
        return box;
    }

    /** A stored secret's plaintext: opened when sealed, as stored when written plain before sealing. */
    public String open(String tenantId, String stored) {
        return SecretBox.sealedText(stored) ? box().openText(tenantId, stored) : stored;
    }
}
