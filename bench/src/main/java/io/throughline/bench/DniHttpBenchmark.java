package io.throughline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.throughline.devstack.Stack;
import io.throughline.devstack.StackSettings;
import io.vertx.core.buffer.Buffer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * POST /dni over HTTP on the real platform (devstack: Keycloak, PostgreSQL, tracking for the site, calltracking
 * as its own process): throughput with 32 requests in flight, then latency at half of that rate, open loop. The
 * workload is what pages send: heartbeats of 200 visitors on the page (90 %) and new visitors (10 %) on a pool of
 * 300 numbers, which fills up and then answers with the default number. Baseline in the same run: the same
 * requests for a site without a pool (same HTTP path, parsing, limits and cached site; no lease).
 */
public final class DniHttpBenchmark {

    private static final ObjectMapper JSON = BenchPlatform.JSON;
    private static final int IN_FLIGHT = 32;
    private static final double ROUND_SECONDS = 5;
    private static final int ROUNDS = 3;
    private static final String ORIGIN = "https://bench.example";

    private DniHttpBenchmark() {
    }

    public static void run() throws Exception {
        BenchPlatform.unlimited("calltracking", "throughline.calltracking.dni.");
        StackSettings settings = BenchPlatform.settings();
        System.out.println("dni: starting the platform (devstack) ...");
        try (Stack stack = new Stack(settings, new PrintStream(OutputStream.nullOutputStream()))) {
            stack.start();
            String token = BenchPlatform.token(settings, "acme-admin");
            String pooled = site(settings, token, "DNI bench");
            String plain = site(settings, token, "DNI bench baseline");
            String pool = JSON.readTree(admin(settings, token, "/api/calltracking/pools", "{\"name\": \"Bench pool\", \"site_key\": \"" + pooled
                    + "\", \"default_number\": \"+7 495 600-10-10\"}")).path("id").asText();
            List<String> numbers = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                numbers.add(String.format(Locale.ROOT, "\"+749560%05d\"", 20000 + i * 7));
            }
            admin(settings, token, "/api/calltracking/pools/" + pool + "/numbers", "{\"numbers\": [" + String.join(", ", numbers) + "]}");
            int port = settings.httpPorts().get("calltracking");
            Map<String, Supplier<Buffer>> targets = new LinkedHashMap<>();
            targets.put("site without a pool (baseline)", () -> body(plain));
            targets.put("/dni with a 300-number pool", () -> body(pooled));
            try (HttpLoad load = new HttpLoad(IN_FLIGHT, ORIGIN, "/dni")) {
                for (Supplier<Buffer> bodies : targets.values()) {
                    load.closedLoop(port, bodies, IN_FLIGHT, ROUND_SECONDS);
                }
                Map<String, double[]> rates = new LinkedHashMap<>();
                targets.keySet().forEach(k -> rates.put(k, new double[ROUNDS]));
                for (int round = 0; round < ROUNDS; round++) {
                    for (Map.Entry<String, Supplier<Buffer>> t : targets.entrySet()) {
                        rates.get(t.getKey())[round] = load.closedLoop(port, t.getValue(), IN_FLIGHT, ROUND_SECONDS);
                    }
                }
                double baseline = median(rates.get("site without a pool (baseline)"));
                for (Map.Entry<String, Supplier<Buffer>> t : targets.entrySet()) {
                    double rate = median(rates.get(t.getKey()));
                    Histogram latency = load.openLoop(port, t.getValue(), rate / 2, ROUND_SECONDS * 2);
                    System.out.printf(Locale.ROOT, "%-44s %,9.0f req/s  ratio %.3f   at %,7.0f/s: p50 %6.2f ms  p99 %6.2f ms%n", t.getKey(), rate,
                            rate / baseline, rate / 2, latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0);
                }
            }
        }
    }

    /** 90 % heartbeats of 200 visitors on the page, 10 % new visitors. */
    private static Buffer body(String site) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String visitor = r.nextInt(10) == 0 ? "new" + Long.toHexString(r.nextLong()) : "onpage" + r.nextInt(200);
        return Buffer.buffer("{\"site\": \"" + site + "\", \"visitor_id\": \"" + visitor + "\", \"page\": \"" + ORIGIN
                + "/sofas?utm_source=yandex&utm_medium=cpc\", \"campaign\": {\"source\": \"yandex\", \"medium\": \"cpc\", \"campaign\": \"sofas\"}, "
                + "\"click_ids\": {\"yclid\": \"" + r.nextInt(1_000_000) + "\"}}");
    }

    private static String site(StackSettings settings, String token, String name) throws Exception {
        return JSON.readTree(admin(settings, token, "/api/tracking/sites", "{\"name\": \"" + name + "\", \"domains\": [\"bench.example\"], "
                + "\"default_phone_region\": \"RU\"}")).path("public_key").asText();
    }

    private static String admin(StackSettings settings, String token, String path, String body) throws Exception {
        return BenchPlatform.call(settings.gatewayUrl() + path, token, "POST", body).toString();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
