package io.throughline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.throughline.devstack.Stack;
import io.throughline.devstack.StackSettings;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Attribution runs on the real platform (devstack): a workspace with N paid deals (each a person identity-service
 * does not know yet, so every one is looked up in identity, tracking and calltracking), linear attribution.
 * Baseline: a full run (every person looked up, every line written). Candidate: the scheduled job's incremental
 * version after one deal changed (one person recomputed, everything else inherited). Alternating rounds, medians;
 * durations are the runs' own (created to finished).
 */
public final class AttributionRunsBenchmark {

    /** Alternating rounds (one with -Dbench.runs.rounds=1 for the largest data sets). */
    private static final int ROUNDS = Integer.getInteger("bench.runs.rounds", 3);

    private AttributionRunsBenchmark() {
    }

    public static void run(int deals) throws Exception {
        System.setProperty("throughline.stack.attribution.throughline.attribution.runs-interval", "1s");
        System.setProperty("throughline.stack.attribution.throughline.attribution.runs-delay", "1s");
        StackSettings settings = BenchPlatform.settings();
        System.out.println("attribution runs: starting the platform (devstack) ...");
        try (Stack stack = new Stack(settings, new PrintStream(OutputStream.nullOutputStream()))) {
            stack.start();
            // Straight to attribution-service: the gateway's per-client limit would pace the load, not the runs.
            String api = "http://localhost:" + settings.httpPorts().get("attribution") + "/api/attribution";
            String admin = BenchPlatform.token(settings, "acme-admin");
            BenchPlatform.call(api + "/settings", admin, "PUT", "{\"models\": [{\"model\": \"linear\"}], \"default_model\": \"linear\"}");
            Instant loading = Instant.now();
            if (Boolean.getBoolean("bench.runs.direct")) {
                insertDirectly(settings, deals);
            } else {
                ExecutorService pool = Executors.newFixedThreadPool(8);
                List<Future<?>> puts = new ArrayList<>();
                for (int i = 0; i < deals; i++) {
                    int deal = i;
                    puts.add(pool.submit(() -> {
                        BenchPlatform.call(api + "/deals/bench/d" + deal, admin, "PUT", deal(deal, 1));
                        return null;
                    }));
                }
                for (Future<?> f : puts) {
                    f.get();
                }
                pool.shutdown();
            }
            System.out.printf(Locale.ROOT, "attribution runs: %,d deals stored in %.1f s%n", deals, seconds(loading, Instant.now()));
            waitFor(api, settings, v -> v.path("deals_recomputed").asInt() + v.path("deals_copied").asInt() == deals, -1);
            System.out.printf(Locale.ROOT, "attribution runs: linked in identity and attributed once after %.1f s%n", seconds(loading, Instant.now()));

            double[] full = new double[ROUNDS];
            double[] incremental = new double[ROUNDS];
            int recomputed = 0;
            for (int round = 0; round < ROUNDS; round++) {
                String analyst = BenchPlatform.token(settings, "acme-analyst");
                JsonNode started = startFull(api, analyst);
                String id = started.path("id").asText();
                JsonNode run = waitFor(api, settings, v -> v.path("id").asText().equals(id), started.path("version").asInt() - 1);
                full[round] = duration(run);
                BenchPlatform.call(api + "/deals/bench/d0", BenchPlatform.token(settings, "acme-admin"), "PUT", deal(0, round + 2));
                JsonNode next = waitFor(api, settings, v -> !v.path("base_run_id").isNull(), run.path("version").asInt());
                incremental[round] = duration(next);
                recomputed = next.path("deals_recomputed").asInt();
            }
            double baseline = median(full);
            double candidate = median(incremental);
            double[] select = new double[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                select[round] = selectAll(settings);
            }
            double read = median(select);
            System.out.printf(Locale.ROOT, "%-52s %8.3f s  %,9.0f deals/s  ratio 1.000%n", "one SELECT of the same deals with their payments (baseline)",
                    read, deals / read);
            System.out.printf(Locale.ROOT, "%-52s %8.3f s  %,9.0f people/s ratio %.3f%n", "full run, " + deals + " people", baseline,
                    deals / baseline, baseline / read);
            System.out.printf(Locale.ROOT, "%-52s %8.3f s  %,9d recomputed ratio %.3f (of the full run)%n", "incremental version after one deal changed",
                    candidate, recomputed, candidate / baseline);
            System.out.printf(Locale.ROOT, "%-52s %,8d MB (attribution-service, after the runs)%n", "resident memory", rssMb("attribution-service"));
        }
    }

    /**
     * The same deals written straight into attribution's tables ({@code -Dbench.runs.direct=true}: 10^6 deals in a
     * minute instead of an hour through the API). They are stored as linked, so identity-service does not know their
     * contacts: runs still ask it for every one (BatchResolve answers "not found") and read touches by visitor id.
     */
    private static void insertDirectly(StackSettings settings, int deals) throws Exception {
        String url = "jdbc:postgresql://" + settings.pgHost() + ":" + settings.pgPort() + "/" + settings.database("attribution");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, settings.pgUser(), settings.pgPassword());
                java.sql.Statement sql = c.createStatement()) {
            sql.executeUpdate("""
                    INSERT INTO deals (id, tenant_id, crm, external_id, status, currency, amount_minor, contact, crm_created_at, crm_updated_at,
                                       received_at, identity_linked)
                    SELECT gen_random_uuid(), 'acme', 'bench', 'd' || g, 'won', 'RUB', 100000,
                           jsonb_build_object('visitorId', 'bench-visitor-' || g, 'emails', jsonb_build_array('bench' || g || '@example.com'),
                                              'phones', jsonb_build_array()),
                           timestamptz '2026-11-19T10:00:00Z', timestamptz '2026-11-20T10:00:01Z', now(), true
                    FROM generate_series(0, %d) AS g""".formatted(deals - 1));
            sql.executeUpdate("""
                    INSERT INTO deal_payments (deal_id, external_id, kind, amount_minor, paid_at, reported)
                    SELECT id, 'p1', 'payment', 100000, timestamptz '2026-11-20T10:00:01Z', true FROM deals WHERE tenant_id = 'acme' AND crm = 'bench'""");
            sql.execute("ANALYZE deals, deal_payments");
        }
    }

    /** Reads every deal of the workspace with its payments in one statement, as a run reads them; seconds. */
    private static double selectAll(StackSettings settings) throws Exception {
        String url = "jdbc:postgresql://" + settings.pgHost() + ":" + settings.pgPort() + "/" + settings.database("attribution");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, settings.pgUser(), settings.pgPassword())) {
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            long rows = 0;
            try (java.sql.PreparedStatement q = c.prepareStatement("""
                    SELECT d.*, (SELECT json_agg(p) FROM deal_payments p WHERE p.deal_id = d.id) AS payments
                    FROM deals d WHERE d.tenant_id = 'acme'""")) {
                q.setFetchSize(2000);
                try (java.sql.ResultSet rs = q.executeQuery()) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            rs.getObject(i);
                        }
                        rows++;
                    }
                }
            }
            if (rows == 0) {
                throw new IllegalStateException("no deals in " + url);
            }
            return (System.nanoTime() - t0) / 1e9;
        }
    }

    /** Resident set size of the stack's process whose command line names the service (0 when not found). */
    static long rssMb(String service) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(service)).mapToLong(p -> {
            try {
                for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + p.pid() + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                    }
                }
            } catch (java.io.IOException | RuntimeException e) {
                return 0;
            }
            return 0;
        }).max().orElse(0);
    }

    /** Deal i with its first {@code payments} payments; a later snapshot (newer updated_at) for more payments. */
    private static String deal(int i, int payments) {
        Instant start = Instant.parse("2026-11-20T10:00:00Z");
        StringBuilder paid = new StringBuilder();
        for (int p = 1; p <= payments; p++) {
            paid.append(p > 1 ? ", " : "").append("{\"id\": \"p").append(p).append("\", \"amount\": 1000, \"paid_at\": \"")
                    .append(start.plusSeconds(p)).append("\"}");
        }
        return "{\"status\": \"won\", \"amount\": 1000, \"currency\": \"RUB\", \"created_at\": \"2026-11-19T10:00:00Z\", \"updated_at\": \""
                + start.plusSeconds(payments) + "\", \"contact\": {\"visitor_id\": \"bench-visitor-" + i + "\", \"emails\": [\"bench" + i
                + "@example.com\"]}, \"payments\": [" + paid + "]}";
    }

    /** A manual full run of linear (waiting while the scheduled job makes a version: one version of a series at a time). */
    private static JsonNode startFull(String api, String token) throws Exception {
        for (int attempt = 0; attempt < 600; attempt++) {
            var response = BenchPlatform.send(api + "/runs", token, "POST", "{\"model\": \"linear\"}");
            if (response.statusCode() == 202) {
                return BenchPlatform.JSON.readTree(response.body());
            }
            if (response.statusCode() != 409) {
                throw new IllegalStateException("starting a run: " + response.statusCode() + " " + response.body());
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the series stayed busy");
    }

    /** The newest finished linear version above {@code after} that {@code wanted} accepts. */
    private static JsonNode waitFor(String api, StackSettings settings, java.util.function.Predicate<JsonNode> wanted, int after) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
        String token = BenchPlatform.token(settings, "acme-analyst");
        while (Instant.now().isBefore(deadline)) {
            for (JsonNode v : BenchPlatform.call(api + "/runs?series=linear&limit=5", token, "GET", null).path("items")) {
                if (v.path("status").asText().equals("done") && v.path("version").asInt() > after && wanted.test(v)) {
                    return v;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no such attribution run within 10 minutes");
    }

    private static double duration(JsonNode run) {
        return seconds(Instant.parse(run.path("created_at").asText()), Instant.parse(run.path("finished_at").asText()));
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
