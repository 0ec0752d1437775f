package io.throughline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.throughline.devstack.StackSettings;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The whole platform for benchmarks that need it (devstack under bench/target/stack, free ports, databases named
 * throughline_bench_*), demo logins, and JSON calls with a token.
 */
final class BenchPlatform {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private BenchPlatform() {
    }

    /** Lifts one public endpoint's per-IP and per-site rate limits on the next stack (the load comes from one IP, for one site). */
    static void unlimited(String service, String limitsPrefix) {
        for (String limit : java.util.List.of("ip-per-second", "ip-burst", "site-per-second", "site-burst")) {
            System.setProperty("throughline.stack." + service + "." + limitsPrefix + limit, "100000000");
        }
    }

    /** Settings of an isolated stack; properties {@code throughline.stack.<service>.<key>} set before reach that service. */
    static StackSettings settings() throws Exception {
        Path root = CollectBenchmark.root();
        Map<String, Integer> http = new LinkedHashMap<>();
        Map<String, Integer> grpc = new LinkedHashMap<>();
        http.put("gateway", ChildProcesses.freePort());
        for (String service : StackSettings.SERVICES) {
            http.put(service, ChildProcesses.freePort());
            grpc.put(service, ChildProcesses.freePort());
        }
        System.setProperty("throughline.root", root.toString());
        // devstack starts its helpers with this JVM's class path; under exec:java that property is Maven's own.
        System.setProperty("java.class.path", ChildProcesses.classPath());
        return StackSettings.fromEnvironment().isolated(root.resolve("bench/target/stack"), "throughline_bench_", http, grpc,
                ChildProcesses.freePort(), ChildProcesses.freePort(), ChildProcesses.freePort(), ChildProcesses.freePort());
    }

    /** A demo person's access token (password grant on the throughline-cli client). */
    static String token(StackSettings settings, String user) throws Exception {
        String form = "grant_type=password&client_id=throughline-cli&username=" + user + "&password="
                + URLEncoder.encode(System.getProperty("throughline.demo.password", "throughline"), StandardCharsets.UTF_8);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(settings.realmUrl() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body()).path("access_token").asText();
    }

    /** One JSON call; the answer's status and body. */
    static HttpResponse<String> send(String url, String token, String method, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** One JSON call that must succeed; its body. */
    static JsonNode call(String url, String token, String method, String body) throws Exception {
        HttpResponse<String> response = send(url, token, method, body);
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + url + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
