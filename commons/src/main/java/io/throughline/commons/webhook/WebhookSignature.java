package io.throughline.commons.webhook;

import io.throughline.commons.api.FieldError;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Throughline's webhook signature (api-conventions): {@code X-Timestamp} (Unix seconds) and
 * {@code X-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>}, refused outside a 5-minute window.
 * Compared in constant time.
 */
public final class WebhookSignature {

    public static final Duration REPLAY_WINDOW = Duration.ofMinutes(5);

    private WebhookSignature() {
    }

    public static byte[] hmac(String algorithm, String secret, String data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
    }

    /** "sha256=" + hex(HMAC-SHA256(secret, timestamp + "." + body)). */
    public static String sign(String secret, String timestamp, String body) {
        return "sha256=" + HexFormat.of().formatHex(hmac("HmacSHA256", secret, timestamp + "." + body));
    }

    public static boolean same(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    /** Empty when the request is signed with {@code secret} within the window; else the header at fault and why. */
    public static Optional<FieldError> check(String timestamp, String signature, String body, String secret, Instant now) {
        if (timestamp == null || !timestamp.matches("\\d{9,11}")) {
            return Optional.of(new FieldError("X-Timestamp", "must be the Unix time in seconds the request was signed at"));
        }
        if (Math.abs(now.getEpochSecond() - Long.parseLong(timestamp)) > REPLAY_WINDOW.toSeconds()) {
            return Optional.of(new FieldError("X-Timestamp", "is outside the 5-minute replay window"));
        }
        if (!same(sign(secret, timestamp, body), signature)) {
            return Optional.of(new FieldError("X-Signature", "does not match the body signed with this integration's secret"));
        }
        return Optional.empty();
    }
}
