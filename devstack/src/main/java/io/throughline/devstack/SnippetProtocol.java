package io.throughline.devstack;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * The client side of /collect as t.js speaks it, for the demo loader and the end-to-end suite: a batch with
 * the snippet's proof (FNV-1a 32 over site|visitor|sent_at; tracking-service's JsProof checks it).
 */
public final class SnippetProtocol {

    private SnippetProtocol() {
    }

    /** A batch of already-encoded events, sent now. */
    public static String batch(String siteKey, String visitor, List<String> events) {
        String sentAt = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        return "{\"site\":\"" + siteKey + "\",\"visitor_id\":\"" + visitor + "\",\"sent_at\":\"" + sentAt + "\","
                + "\"client\":{\"screen_width\":1920,\"screen_height\":1080,\"tz\":\"Europe/Moscow\",\"lang\":\"ru-RU\",\"webdriver\":false,"
                + "\"proof\":\"" + proof(siteKey + "|" + visitor + "|" + sentAt) + "\"},\"events\":[" + String.join(",", events) + "]}";
    }

    public static String proof(String text) {
        int hash = 0x811c9dc5;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x01000193;
        }
        return String.format("%08x", hash);
    }

    public static String pageview(String url, String referrer, Instant at) {
        return "{\"event_id\":\"" + UUID.randomUUID() + "\",\"type\":\"pageview\",\"ts\":\"" + at + "\",\"url\":\"" + url + "\""
                + (referrer == null || referrer.isEmpty() ? "" : ",\"referrer\":\"" + referrer + "\"") + ",\"title\":\"Demo\"}";
    }

    public static String lead(Instant at, String email, String phone, int fillMs) {
        return "{\"event_id\":\"" + UUID.randomUUID() + "\",\"type\":\"lead\",\"ts\":\"" + at + "\",\"form\":\"callback\",\"fill_ms\":" + fillMs
                + ",\"fields\":{\"email\":\"" + email + "\",\"phone\":\"" + phone + "\",\"name\":\"Demo\"}}";
    }
}
