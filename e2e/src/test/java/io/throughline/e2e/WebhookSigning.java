package io.throughline.e2e;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The three webhook signatures as the senders compute them (independently of calltracking's own code). */
final class WebhookSigning {

    private WebhookSigning() {
    }

    /** Generic: {@code sha256=} hex HMAC-SHA256 of "timestamp.body". */
    static String generic(String secret, String timestamp, String body) {
        return "sha256=" + HexFormat.of().formatHex(hmac("HmacSHA256", secret, timestamp + "." + body));
    }

    /** Twilio: base64 HMAC-SHA1 of the URL followed by every parameter, sorted by name, as name + value. */
    static String twilio(String authToken, String url, Map<String, String> params) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
        return Base64.getEncoder().encodeToString(hmac("HmacSHA1", authToken, data.toString()));
    }

    /** Zadarma: base64 of the hex HMAC-SHA1 of the event's signed fields. */
    static String zadarma(String secret, String signed) {
        return Base64.getEncoder().encodeToString(HexFormat.of().formatHex(hmac("HmacSHA1", secret, signed)).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(String algorithm, String secret, String data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
