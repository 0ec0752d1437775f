package io.throughline.bench;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.bson.Document;

/**
 * POST /collect (on tracking-service's collector port, as the gateway reaches it) throughput and latency against a
 * bare Vert.x handler that parses the same batches, in one run,
 * alternating rounds: tracking-service with its hits thrown away after validation, classification and scoring
 * (the non-durable path, sink=discard) and with every batch fsync'd to its spool before the answer (the durable
 * path, sink=spool). The store is stopped after the warm-up: the durable path then acknowledges into its spool
 * as during an outage, and no replay competes for the CPU during the other targets' rounds. Each server is its own
 * JVM with the same flags; the load comes from this one over loopback. Needs tracking-service built.
 */
public final class CollectBenchmark {

    private static final String SITE_KEY = "pk_benchbenchbenchbench";
    private static final String ORIGIN = "https://bench.example";
    private static final int IN_FLIGHT = 64;
    private static final double ROUND_SECONDS = Double.parseDouble(System.getProperty("bench.collect.seconds", "6"));
    private static final int ROUNDS = Integer.getInteger("bench.collect.rounds", 5);

    private CollectBenchmark() {
    }

    public static void run() throws Exception {
        Path root = root();
        Path jar = root.resolve("tracking-service/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build tracking-service first: ./mvnw -q -pl bench -am -DskipTests install");
        }
        Path work = Files.createTempDirectory("throughline-bench-collect-");
        try (ChildProcesses children = new ChildProcesses(work.resolve("logs"))) {
            int mongoPort = ChildProcesses.freePort();
            Process store = children.java("mongo-wire", mongoPort, List.of(), "io.throughline.devstack.MongoWireServer",
                    Integer.toString(mongoPort), "memory");
            registerSite(mongoPort);
            Map<String, Integer> ports = new LinkedHashMap<>();
            ports.put("bare Vert.x handler", ChildProcesses.freePort());
            children.java("bare", ports.get("bare Vert.x handler"), List.of(), BareCollector.class.getName(),
                    Integer.toString(ports.get("bare Vert.x handler")));
            for (String sink : List.of("discard", "spool")) {
                String name = sink.equals("discard") ? "/collect non-durable (sink=discard)" : "/collect durable (spool, fsync)";
                int port = ChildProcesses.freePort();
                int collectorPort = ChildProcesses.freePort();
                ports.put(name, collectorPort);
                children.jar("tracking-" + sink, collectorPort, jar, trackingProperties(port, collectorPort, mongoPort, sink,
                        work.resolve("spool-" + sink)));
            }
            try (HttpLoad load = new HttpLoad(IN_FLIGHT, ORIGIN)) {
                Supplier<Buffer> bodies = CollectBenchmark::batch;
                System.out.printf(Locale.ROOT, "collect: %d requests in flight, %.0f s rounds, %d rounds, 3 events per batch (%d bytes)%n",
                        IN_FLIGHT, ROUND_SECONDS, ROUNDS, batch().length());
                for (int port : ports.values()) {
                    load.closedLoop(port, bodies, IN_FLIGHT, ROUND_SECONDS);
                }
                // The site is cached now. Stopping the store keeps the durable path on its spool (as during an
                // outage) and keeps its replay from taking CPU from the other targets' rounds.
                store.destroy();
                store.waitFor();
                Map<String, double[]> rates = new LinkedHashMap<>();
                ports.keySet().forEach(k -> rates.put(k, new double[ROUNDS]));
                List<String> order = new ArrayList<>(ports.keySet());
                for (int round = 0; round < ROUNDS; round++) {
                    for (String target : order) {
                        rates.get(target)[round] = load.closedLoop(ports.get(target), bodies, IN_FLIGHT, ROUND_SECONDS);
                    }
                    java.util.Collections.rotate(order, 1);
                }
                double bare = median(rates.get("bare Vert.x handler"));
                Map<String, List<Histogram>> latencies = new LinkedHashMap<>();
                ports.keySet().forEach(k -> latencies.put(k, new ArrayList<>()));
                for (int round = 0; round < ROUNDS; round++) {
                    for (String target : order) {
                        latencies.get(target).add(load.openLoop(ports.get(target), bodies, median(rates.get(target)) / 2, ROUND_SECONDS));
                    }
                    java.util.Collections.rotate(order, 1);
                }
                for (Map.Entry<String, double[]> e : rates.entrySet()) {
                    double rate = median(e.getValue());
                    double[] p50 = latencies.get(e.getKey()).stream().mapToDouble(h -> h.getValueAtPercentile(50) / 1000.0).toArray();
                    double[] p99 = latencies.get(e.getKey()).stream().mapToDouble(h -> h.getValueAtPercentile(99) / 1000.0).toArray();
                    System.out.printf(Locale.ROOT, "%-40s %,9.0f batches/s  ratio %.3f   at %,7.0f/s: p50 %6.2f ms  p99 %6.2f ms (median of %d)%n",
                            e.getKey(), rate, rate / bare, rate / 2, median(p50), median(p99), ROUNDS);
                }
            }
        }
    }

    private static List<String> trackingProperties(int port, int collectorPort, int mongoPort, String sink, Path spool) {
        return List.of("quarkus.http.port=" + port, "throughline.tracking.collector.port=" + collectorPort, "quarkus.grpc.server.port=" + safePort(), "throughline.mongodb.uri=mongodb://127.0.0.1:" + mongoPort,
                "throughline.tracking.collect.sink=" + sink, "throughline.tracking.spool.directory=" + spool,
                "throughline.tracking.spool.max-bytes=8000000000",
                "throughline.tracking.collect.ip-per-second=100000000", "throughline.tracking.collect.ip-burst=100000000",
                "throughline.tracking.collect.site-per-second=100000000", "throughline.tracking.collect.site-burst=100000000",
                "quarkus.oidc.tenant-enabled=false", "quarkus.oidc-client.client-enabled=false", "throughline.service.client-secret=bench",
                "quarkus.log.level=WARN", "quarkus.banner.enabled=false");
    }

    private static int safePort() {
        try {
            return ChildProcesses.freePort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bench site, written straight into the store (the benchmark runs without Keycloak). */
    private static void registerSite(int mongoPort) {
        try (MongoClient mongo = MongoClients.create("mongodb://127.0.0.1:" + mongoPort)) {
            mongo.getDatabase("throughline_tracking").getCollection("sites").insertOne(new Document("_id", UUID.randomUUID().toString())
                    .append("tenant_id", "bench").append("public_key", SITE_KEY).append("name", "Bench").append("domains", List.of("bench.example"))
                    .append("default_phone_region", "RU").append("consent_required", false).append("created_at", new Date())
                    .append("session_timeout_minutes", 30).append("min_form_fill_ms", 3000));
        }
    }

    /** A batch as t.js sends it: a paid landing, a custom event and a second page, for one of 10,000 visitors. */
    static Buffer batch() {
        return batch(SITE_KEY);
    }

    /** {@link #batch()} for another site. */
    static Buffer batch(String siteKey) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String visitor = "v" + Long.toHexString(r.nextLong(10_000) + 0x1_0000_0000L);
        String now = java.time.Instant.now().toString();
        String sentAt = now;
        return Buffer.buffer("{\"site\":\"" + siteKey + "\",\"visitor_id\":\"" + visitor + "\",\"sent_at\":\"" + sentAt + "\","
                + "\"ga_cookie\":\"GA1.2.1234567890.1732000000\",\"client\":{\"screen_width\":1920,\"screen_height\":1080,\"tz\":\"Europe/Moscow\","
                + "\"lang\":\"ru-RU\",\"webdriver\":false,\"proof\":\"" + io.throughline.devstack.SnippetProtocol.proof(siteKey + "|" + visitor + "|" + sentAt)
                + "\"},\"events\":[{\"event_id\":\"" + new UUID(r.nextLong(), r.nextLong()) + "\",\"type\":\"pageview\",\"ts\":\"" + now
                + "\",\"url\":\"https://bench.example/courses?utm_source=yandex&utm_medium=cpc&utm_campaign=brand&utm_term=%D0%BA%D1%83%D1%80%D1%81%D1%8B&yclid="
                + r.nextLong(1_000_000_000L) + "\",\"referrer\":\"https://yandex.ru/\",\"title\":\"Курсы английского\"},"
                + "{\"event_id\":\"" + new UUID(r.nextLong(), r.nextLong()) + "\",\"type\":\"event\",\"ts\":\"" + now
                + "\",\"url\":\"https://bench.example/courses\",\"name\":\"video_play\",\"props\":{\"video\":\"intro\",\"seconds\":42}},"
                + "{\"event_id\":\"" + new UUID(r.nextLong(), r.nextLong()) + "\",\"type\":\"pageview\",\"ts\":\"" + now
                + "\",\"url\":\"https://bench.example/prices\",\"referrer\":\"https://bench.example/courses\",\"title\":\"Цены\"}]}");
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    static Path root() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("tracking-service/pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("run from the Throughline checkout");
    }
}
