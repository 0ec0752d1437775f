package io.throughline.calltracking.domain;

import io.throughline.commons.webhook.WebhookSignature;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

/** The HMACs telephony providers sign webhooks with, compared in constant time. */
public final class Signatures {

    private Signatures() {
    }

    private static byte[] hmac(String algorithm, String secret, String data) {
        return WebhookSignature.hmac(algorithm, secret, data);
    }

    /** Throughline's generic format (commons' {@link WebhookSignature}). */
    public static String generic(String secret, String timestamp, String body) {
        return WebhookSignature.sign(secret, timestamp, body);
    }

    /** Twilio: base64(HMAC-SHA1(auth token, the full URL + every POST parameter's name and value, sorted by name)). */
    public static String twilio(String authToken, String url, java.util.SortedMap<String, String> params) {
        StringBuilder data = new StringBuilder(url);
        params.forEach((name, value) -> data.append(name).append(value));
        return Base64.getEncoder().encodeToString(hmac("HmacSHA1", authToken, data.toString()));
    }

    /** Zadarma: base64 of the hex HMAC-SHA1 of the event's signature fields (e.g. caller_id + called_did + call_start). */
    public static String zadarma(String secret, String data) {
        return Base64.getEncoder().encodeToString(HexFormat.of().formatHex(hmac("HmacSHA1", secret, data)).getBytes(StandardCharsets.US_ASCII));
    }

    public static boolean same(String expected, String given) {
        return WebhookSignature.same(expected, given);
    }
}
