package io.throughline.bench;

import io.agroal.api.AgroalDataSource;
import io.throughline.identity.api.IdentityLinks;
import io.throughline.identity.api.IdentityLinks.Raw;
import io.throughline.identity.config.IdentityConfig;
import io.throughline.identity.domain.IdentifierType;
import io.throughline.identity.store.ComponentSplitter;
import io.throughline.identity.store.IdentityGraph;
import io.throughline.identity.store.PersonRecords;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * identity-service Link over a realistic event stream (new visitors, returning visitors, leads with e-mail and
 * phone, some of them people already known) against a plain INSERT ... ON CONFLICT DO NOTHING of the same
 * identifiers, alternating chunks in one run on the same PostgreSQL; then Resolve latency against a plain
 * lookup by key. Needs PostgreSQL at PGHOST:PGPORT (default localhost:5432, user postgres).
 */
public final class IdentityLinkBenchmark {

    private static final String TENANT = "bench";
    private static final int THREADS = 4;
    private static final int CHUNKS = 10;

    private IdentityLinkBenchmark() {
    }

    public static void run(int events) throws Exception {
        try (AgroalDataSource pool = BenchDatabase.fresh("throughline_bench_identity", "classpath:db/migration",
                "?options=-c%20plan_cache_mode%3Dforce_custom_plan", 8)) {
            try (Connection c = pool.getConnection(); Statement sql = c.createStatement()) {
                sql.execute("CREATE TABLE baseline_identifiers (tenant_id text, type text, match_key text, PRIMARY KEY (tenant_id, type, match_key))");
            }
            PersonRecords persons = new PersonRecords(pool);
            IdentityLinks links = new IdentityLinks(new IdentityGraph(pool, new ComponentSplitter(pool)), persons, config());
            List<List<Raw>> stream = events(events, new Random(7));

            long[] nanos = new long[2];
            int chunk = Math.max(1, events / CHUNKS);
            for (int from = 0, i = 0; from < events; from += chunk, i++) {
                List<List<Raw>> part = stream.subList(from, Math.min(events, from + chunk));
                // The order alternates each chunk so that neither side always runs on the warmer database.
                if (i % 2 == 0) {
                    nanos[0] += timed(part, e -> baseline(pool, e));
                    nanos[1] += timed(part, e -> links.link(TENANT, e, "bench", "e", Instant.now(), "RU"));
                } else {
                    nanos[1] += timed(part, e -> links.link(TENANT, e, "bench", "e", Instant.now(), "RU"));
                    nanos[0] += timed(part, e -> baseline(pool, e));
                }
            }
            double baseRate = events * 1e9 / nanos[0];
            double linkRate = events * 1e9 / nanos[1];
            System.out.println(String.format(Locale.ROOT,
                    "%-44s baseline %,14.0f ev/s   candidate %,14.0f ev/s   ratio %.3f   (%,d events, %d threads)",
                    "identity Link vs INSERT ON CONFLICT", baseRate, linkRate, linkRate / baseRate, events, THREADS));
            resolveLatency(pool, links, stream);
        }
    }

    private static void resolveLatency(AgroalDataSource pool, IdentityLinks links, List<List<Raw>> stream) throws Exception {
        Random random = new Random(11);
        int samples = Math.min(5_000, stream.size());
        long[] candidate = new long[samples];
        long[] baseline = new long[samples];
        try (Connection c = pool.getConnection();
                PreparedStatement lookup = c.prepareStatement(
                        "SELECT 1 FROM baseline_identifiers WHERE tenant_id = ? AND type = ? AND match_key = ?")) {
            for (int i = 0; i < samples; i++) {
                Raw raw = stream.get(random.nextInt(stream.size())).get(0);
                long t0 = System.nanoTime();
                lookup.setString(1, TENANT);
                lookup.setString(2, raw.type().code());
                lookup.setString(3, raw.value());
                lookup.executeQuery().close();
                long t1 = System.nanoTime();
                links.resolve(TENANT, List.of(raw), "RU");
                long t2 = System.nanoTime();
                baseline[i] = t1 - t0;
                candidate[i] = t2 - t1;
            }
        }
        Arrays.sort(candidate);
        Arrays.sort(baseline);
        System.out.println(String.format(Locale.ROOT,
                "%-44s baseline p50 %.2f ms p99 %.2f ms   candidate p50 %.2f ms p99 %.2f ms   ratio(p50) %.2f",
                "identity Resolve vs SELECT by key", baseline[samples / 2] / 1e6, baseline[samples * 99 / 100] / 1e6,
                candidate[samples / 2] / 1e6, candidate[samples * 99 / 100] / 1e6,
                (double) candidate[samples / 2] / baseline[samples / 2]));
    }

    /** New visitors (50 %), returning visitors (30 %), leads with e-mail and phone (20 %, a third of them known people). */
    public static List<List<Raw>> events(int count, Random random) {
        List<List<Raw>> out = new ArrayList<>(count);
        int visitors = 0;
        int people = 0;
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(10);
            if (kind < 5 || visitors == 0) {
                visitors++;
                out.add(List.of(new Raw(IdentifierType.VISITOR_ID, "visitor-" + visitors),
                        new Raw(IdentifierType.GA_CLIENT_ID, "GA1.2." + (100000000 + visitors) + ".1700000000"),
                        new Raw(IdentifierType.YM_CLIENT_ID, Long.toString(1_700_000_000_000_000L + visitors))));
            } else if (kind < 8) {
                int v = 1 + random.nextInt(visitors);
                out.add(List.of(new Raw(IdentifierType.VISITOR_ID, "visitor-" + v),
                        new Raw(IdentifierType.GA_CLIENT_ID, "GA1.2." + (100000000 + v) + ".1700000000")));
            } else {
                int v = 1 + random.nextInt(visitors);
                int person = people > 0 && random.nextInt(3) == 0 ? 1 + random.nextInt(people) : ++people;
                out.add(List.of(new Raw(IdentifierType.VISITOR_ID, "visitor-" + v),
                        new Raw(IdentifierType.EMAIL, "person" + person + "@mail.ru"),
                        new Raw(IdentifierType.PHONE, String.format(Locale.ROOT, "+7 9%02d %03d-%02d-%02d",
                                10 + person % 80, 100 + person / 10000 % 900, person / 100 % 100, person % 100))));
            }
        }
        return out;
    }

    private interface EventWork {
        void apply(List<Raw> event) throws Exception;
    }

    private static long timed(List<List<Raw>> events, EventWork work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        long start = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int offset = t;
                futures.add(pool.submit(() -> {
                    for (int i = offset; i < events.size(); i += THREADS) {
                        work.apply(events.get(i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return System.nanoTime() - start;
    }

    private static void baseline(AgroalDataSource pool, List<Raw> event) throws Exception {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO baseline_identifiers (tenant_id, type, match_key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (Raw raw : event) {
                    insert.setString(1, TENANT);
                    insert.setString(2, raw.type().code());
                    insert.setString(3, raw.value());
                    insert.executeUpdate();
                }
            }
            c.commit();
        }
    }

    private static IdentityConfig config() {
        return new IdentityConfig() {
            @Override
            public String masterKey() {
                return "bench-only-identity-master-key";
            }

            @Override
            public List<String> erasureConsumers() {
                return List.of("tracking", "calltracking", "attribution");
            }

            @Override
            public String defaultPhoneRegion() {
                return "RU";
            }
        };
    }
}
