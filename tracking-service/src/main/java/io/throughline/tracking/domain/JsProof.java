package io.throughline.tracking.domain;

import java.nio.charset.StandardCharsets;

/**
 * The snippet's proof that a batch was built by t.js running in a page: FNV-1a (32 bit) over
 * {@code site + "|" + visitor_id + "|" + sent_at}, as 8 hex digits. It is not a secret (t.js is public); it
 * separates hand-made requests and replayed server logs from browser traffic, one signal among several.
 */
public final class JsProof {

    private JsProof() {
    }

    public static String of(String siteKey, String visitorId, String sentAt) {
        int hash = 0x811c9dc5;
        for (byte b : (siteKey + "|" + visitorId + "|" + sentAt).getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        String hex = Integer.toHexString(hash);
        return hex.length() == 8 ? hex : "00000000".substring(hex.length()) + hex;
    }
}
