package io.throughline.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Demo calls: ten tracked numbers for the demo pool and a static "billboard" number, a PBX integration, and a dozen
 * visitors who land from ads within a minute, are shown a number by /dni (as t.js would ask; the last two find the
 * pool full) and call it; the PBX reports each call
 * through the signed generic webhook, so the call log shows matched, missed, repeat and spam calls.
 */
final class DemoCalls {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] LANDINGS = {
            "?utm_source=yandex&utm_medium=cpc&utm_campaign=brand_search&yclid=", "?utm_source=google&utm_medium=cpc&utm_campaign=pmax&gclid=",
            "?utm_source=vk&utm_medium=cpc&utm_campaign=retargeting&rb_clickid="};
    private static final int CALLS = 12;

    private final StackSettings settings;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newHttpClient();

    DemoCalls(StackSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** Sets up numbers and a PBX for the tenant's pool and places the demo calls; returns how many the PBX reported. */
    int load(String tenant, int tenantIndex, String token, String siteKey, String poolId) throws Exception {
        String prefix = String.format(Locale.ROOT, "+749541%d", tenantIndex);
        StringBuilder numbers = new StringBuilder();
        for (int i = 1; i <= 10; i++) {
            numbers.append(numbers.isEmpty() ? "" : ", ").append('"').append(prefix).append(String.format(Locale.ROOT, "%04d", 2000 + i * 13)).append('"');
        }
        admin("POST", "/api/calltracking/pools/" + poolId + "/numbers", token, "{\"numbers\": [" + numbers + "]}");
        String billboard = prefix + "9090";
        admin("POST", "/api/calltracking/numbers", token, "{\"site_key\": \"" + siteKey + "\", \"number\": \"" + billboard
                + "\", \"label\": \"Billboard on the ring road\", \"channel\": \"offline\", \"match_source\": \"billboard\"}");
        JsonNode pbx = JSON.readTree(admin("POST", "/api/calltracking/integrations", token,
                "{\"name\": \"Demo PBX " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\", \"format\": \"generic\"}").body());
        String webhook = settings.gatewayUrl() + "/webhooks/calls/generic/" + pbx.path("id").asText();
        String secret = pbx.path("secret").asText();

        Random random = new Random(tenant.hashCode() * 17L);
        String origin = "https://" + tenant + ".example";
        int reported = 0;
        for (int i = 0; i < CALLS; i++) {
            String visitor = new UUID(random.nextLong(), random.nextLong()).toString().replace("-", "");
            String landing = LANDINGS[i % LANDINGS.length];
            String clickId = Long.toString(random.nextLong() & 0xffffffffL);
            String page = origin + "/" + landing + clickId;
            Instant seen = Instant.now().minusSeconds(90);
            public_("/collect", origin, SnippetProtocol.batch(siteKey, visitor, List.of(SnippetProtocol.pageview(page, "https://yandex.ru/", seen))));
            String[] utm = landing.substring(1).split("&");
            String dni = public_("/dni", origin, "{\"site\": \"" + siteKey + "\", \"visitor_id\": \"" + visitor + "\", \"page\": \"" + page
                    + "\", \"campaign\": {\"source\": \"" + value(utm[0]) + "\", \"medium\": \"" + value(utm[1]) + "\", \"campaign\": \""
                    + value(utm[2]) + "\"}, \"click_ids\": {\"" + utm[3].replace("=", "") + "\": \"" + clickId + "\"}}");
            // A full pool shows nothing new: the visitor calls the site's own number, which is not tracked.
            String number = JSON.readTree(dni).path("number_e164").asText("+74954007070");
            String caller = i == CALLS - 1 ? "anonymous" : String.format(Locale.ROOT, "+7916%03d%04d", 300 + tenantIndex, i % 9 == 8 ? 1 : 100 + i);
            boolean missed = i % 5 == 3;
            int talk = missed ? 0 : i % 4 == 1 ? 12 : 45 + random.nextInt(400);
            Instant start = Instant.now().minusSeconds(30);
            String body = "{\"call_id\": \"demo-" + visitor + "\", \"event\": \"call.completed\", \"direction\": \"inbound\", \"from\": \"" + caller
                    + "\", \"to\": \"" + number + "\", \"started_at\": \"" + start + "\", \"status\": \"" + (missed ? "no_answer" : "answered")
                    + "\", \"duration_sec\": " + (missed ? 9 : talk + 8) + ", \"talk_sec\": " + talk + ", \"wait_sec\": 8}";
            reported += signed(webhook, secret, body) == 200 ? 1 : 0;
        }
        String offline = "{\"call_id\": \"demo-billboard-" + tenant + "-" + Instant.now().getEpochSecond() + "\", \"event\": \"call.completed\", "
                + "\"from\": \"+79163" + tenantIndex + "55500\", \"to\": \"" + billboard + "\", \"started_at\": \"" + Instant.now().minusSeconds(20)
                + "\", \"status\": \"answered\", \"talk_sec\": 95}";
        reported += signed(webhook, secret, offline) == 200 ? 1 : 0;
        out.printf("           %s: %d demo calls reported by the demo PBX%n", tenant, reported);
        return reported;
    }

    private static String value(String pair) {
        return pair.substring(pair.indexOf('=') + 1);
    }

    private HttpResponse<String> admin(String method, String path, String token, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(settings.gatewayUrl() + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 400 && response.statusCode() != 409) {
            throw new IllegalStateException(method + " " + path + " failed: " + response.statusCode() + " " + response.body());
        }
        return response;
    }

    private String public_(String path, String origin, String body) throws Exception {
        for (int attempt = 0; attempt < 5; attempt++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(settings.gatewayUrl() + path))
                    .header("Content-Type", "text/plain;charset=UTF-8").header("Origin", origin)
                    .header("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() < 300) {
                return response.body();
            }
            if (response.statusCode() != 429 && response.statusCode() != 503) {
                throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
            }
            Thread.sleep(1000L * Integer.parseInt(response.headers().firstValue("Retry-After").orElse("1")));
        }
        throw new IllegalStateException(path + " kept refusing the demo");
    }

    private int signed(String url, String secret, String body) throws Exception {
        String timestamp = String.valueOf(Instant.now().getEpochSecond());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json").header("X-Timestamp", timestamp)
                .header("X-Signature", signature).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }
}
