package io.throughline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.throughline.devstack.Stack;
import io.throughline.devstack.StackSettings;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Soak: the real platform (devstack) under /collect at half its closed-loop rate for {@code bench.soak.minutes}
 * (default 10), open loop, measured in one-minute windows: p99 per window, errors, and the resident memory of every
 * service at the start and the end. What it checks is drift within one run: the first window is the baseline of the
 * last one (p99 drift) and the services' memory after the warm-up that of the end (RSS growth). Behind the collector
 * the whole chain works as in production: sessions, the identity outbox, tracking's feeds, attribution's marks.
 */
public final class SoakBenchmark {

    private static final ObjectMapper JSON = BenchPlatform.JSON;
    private static final String ORIGIN = "https://bench.example";
    private static final List<String> SERVICES = List.of("tracking-service", "identity-service", "calltracking-service", "attribution-service",
            "reporting-service", "gateway");

    private SoakBenchmark() {
    }

    public static void run(double minutes) throws Exception {
        BenchPlatform.unlimited("tracking", "throughline.tracking.collect.");
        StackSettings settings = BenchPlatform.settings();
        System.out.println("soak: starting the platform (devstack) ...");
        try (Stack stack = new Stack(settings, new PrintStream(OutputStream.nullOutputStream()))) {
            stack.start();
            String token = BenchPlatform.token(settings, "acme-admin");
            String site = JSON.readTree(BenchPlatform.call(settings.gatewayUrl() + "/api/tracking/sites", token, "POST",
                    "{\"name\": \"Soak\", \"domains\": [\"bench.example\"], \"default_phone_region\": \"RU\"}").toString()).path("public_key").asText();
            int port = settings.collectorPort();
            try (HttpLoad load = new HttpLoad(64, ORIGIN)) {
                load.closedLoop(port, () -> CollectBenchmark.batch(site), 32, 10);
                double max = load.closedLoop(port, () -> CollectBenchmark.batch(site), 32, 20);
                // -Dbench.soak.rate sets the rate instead (the devstack's MongoDB-wire store scans its collections: see the README).
                double rate = Double.parseDouble(System.getProperty("bench.soak.rate", Double.toString(max / 2)));
                System.out.printf(Locale.ROOT, "soak: /collect sustains %,.0f batches/s (32 in flight); soaking at %,.0f/s for %.0f min%n", max, rate,
                        minutes);
                load.openLoop(port, () -> CollectBenchmark.batch(site), rate, 60); // warm-up: caches, JIT, pools, the first feeds
                long warmErrors = load.errors.get();
                Map<String, Long> before = rss();
                List<double[]> windows = new ArrayList<>();
                int count = (int) Math.max(1, Math.round(minutes));
                for (int w = 0; w < count; w++) {
                    Histogram h = load.openLoop(port, () -> CollectBenchmark.batch(site), rate, 60);
                    windows.add(new double[] {h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getTotalCount()});
                    System.out.printf(Locale.ROOT, "soak: minute %2d  %,7.0f batches  p50 %6.2f ms  p99 %7.2f ms  errors so far %d%n", w + 1,
                            (double) h.getTotalCount(), windows.get(w)[0], windows.get(w)[1], load.errors.get() - warmErrors);
                }
                Map<String, Long> after = rss();
                double first = windows.get(0)[1];
                double last = windows.get(windows.size() - 1)[1];
                double worst = windows.stream().mapToDouble(x -> x[1]).max().orElse(first);
                System.out.printf(Locale.ROOT, "%-52s %8.2f ms  (first minute, baseline)  ratio 1.000%n", "p99 of /collect at the soak rate", first);
                System.out.printf(Locale.ROOT, "%-52s %8.2f ms  ratio %.3f (goal <= 1.5); worst minute %.2f ms, ratio %.3f%n", "p99 in the last minute",
                        last, last / first, worst, worst / first);
                System.out.printf(Locale.ROOT, "%-52s %,8d%n", "errors (failed or >= 300) after the warm-up", load.errors.get() - warmErrors);
                for (String service : SERVICES) {
                    long b = before.getOrDefault(service, 0L);
                    long a = after.getOrDefault(service, 0L);
                    System.out.printf(Locale.ROOT, "%-52s %,5d -> %,5d MB  growth %+.1f %% (goal <= 5 %%)%n", "resident memory, " + service, b, a,
                            b == 0 ? 0 : (a - b) * 100.0 / b);
                }
            }
        }
    }

    private static Map<String, Long> rss() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String service : SERVICES) {
            out.put(service, AttributionRunsBenchmark.rssMb(service + "/target"));
        }
        return out;
    }
}
