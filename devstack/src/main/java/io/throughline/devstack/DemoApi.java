package io.throughline.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The demo loader's HTTP side: the gateway's API with a person's token, the public endpoints as a page calls them, signed webhooks. */
final class DemoApi {

    static final ObjectMapper JSON = new ObjectMapper();

    private final StackSettings settings;
    private final HttpClient http = HttpClient.newHttpClient();

    DemoApi(StackSettings settings) {
        this.settings = settings;
    }

    String gatewayUrl() {
        return settings.gatewayUrl();
    }

    /** A demo person's access token (password grant of the public CLI client). */
    String token(String user) throws IOException, InterruptedException {
        String form = "grant_type=password&client_id=throughline-cli&username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(StackSettings.value("throughline.demo.password", "throughline"), StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(settings.realmUrl() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Keycloak refused the demo login " + user + ": " + response.statusCode());
        }
        return JSON.readTree(response.body()).path("access_token").asText();
    }

    HttpResponse<String> send(String method, String path, String token, String body) throws IOException, InterruptedException {
        return send(method, path, token, "application/json", body);
    }

    HttpResponse<String> send(String method, String path, String token, String type, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.gatewayUrl() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", type);
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if ((response.statusCode() != 429 && response.statusCode() != 503) || attempt == 10) {
                return response;
            }
            Thread.sleep(1000L * Long.parseLong(response.headers().firstValue("Retry-After").orElse("1")));
        }
    }

    /** A call that must succeed (a 409, "already there", counts as success); answers the body. */
    JsonNode call(String method, String path, String token, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = send(method, path, token, body);
        if (response.statusCode() >= 400 && response.statusCode() != 409) {
            throw new IllegalStateException(method + " " + path + " failed: " + response.statusCode() + " " + response.body());
        }
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    /** A public endpoint (/collect, /dni) as a page on {@code origin} calls it, waiting out 429 / 503. */
    String publicPost(String path, String origin, String userAgent, String body) throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 10; attempt++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(settings.gatewayUrl() + path))
                    .header("Content-Type", "text/plain;charset=UTF-8").header("Origin", origin).header("User-Agent", userAgent)
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

    /** A webhook signed as the generic formats expect: HMAC-SHA256 of "timestamp.body" in X-Signature. */
    int signed(String url, String secret, String body) throws Exception {
        String timestamp = String.valueOf(Instant.now().getEpochSecond());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json").header("X-Timestamp", timestamp)
                .header("X-Signature", signature).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }
}
