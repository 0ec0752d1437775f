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
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
    private static final int THREADS = Integer.getInteger("bench.identity.threads", 4);
    private static final int CHUNKS = 10;

    private IdentityLinkBenchmark() {
    }

    public static void run(int events) throws Exception {
        try (AgroalDataSource pool = BenchDatabase.fresh("throughline_bench_identity", "classpath:db/migration",
                System.getProperty("bench.identity.url-options", "?prepareThreshold=0"), 8)) {
            try (Connection c = pool.getConnection(); Statement sql = c.createStatement()) {
                sql.execute("CREATE TABLE baseline_identifiers (tenant_id text, type text, match_key text, PRIMARY KEY (tenant_id, type, match_key))");
            }
            PersonRecords persons = new PersonRecords(pool);
            IdentityLinks links = new IdentityLinks(new IdentityGraph(pool, new ComponentSplitter(pool)), persons, config());
            List<List<Raw>> stream = events(events, new Random(7), "");

            long[] nanos = new long[2];
            int chunk = Math.max(1, events / CHUNKS);
            for (int from = 0, i = 0; from < events; from += chunk, i++) {
                List<List<Raw>> part = stream.subList(from, Math.min(events, from + chunk));
                // The order alternates each chunk so that neither side always runs on the warmer database.
                if (i % 2 == 0) {
                    nanos[0] += timed(part, e -> baseline(pool, e));
                    nanos[1] += timed(part, e -> links.link(TENANT, e, "bench", "e", at(e), "RU"));
                } else {
                    nanos[1] += timed(part, e -> links.link(TENANT, e, "bench", "e", at(e), "RU"));
                    nanos[0] += timed(part, e -> baseline(pool, e));
                }
            }
            double baseRate = events * 1e9 / nanos[0];
            double linkRate = events * 1e9 / nanos[1];
            System.out.println(String.format(Locale.ROOT,
                    "%-44s baseline %,14.0f ev/s   candidate %,14.0f ev/s   ratio %.3f   (%,d events, %d threads)",
                    "identity Link vs INSERT ON CONFLICT", baseRate, linkRate, linkRate / baseRate, events, THREADS));
            if (!Boolean.getBoolean("bench.identity.single-only")) {
                batches(pool, links, events);
            }
            resolveLatency(pool, links, stream, "right after the bulk load");
            // The tail right after a bulk load: visibility-map / hint-bit work and stale statistics until autovacuum
            // gets to the tables; the same lookups once they are vacuumed and analyzed.
            try (Connection c = pool.getConnection(); Statement sql = c.createStatement()) {
                sql.execute("VACUUM (ANALYZE) identifiers, persons, edges, baseline_identifiers");
            }
            resolveLatency(pool, links, stream, "after VACUUM (ANALYZE)");
        }
    }

    /** Events per BatchLink call (as the outboxes hand them off) and per transaction of the baseline. */
    private static final int BATCH = Integer.getInteger("bench.identity.batch", 25);

    /** BatchLink of {@value #BATCH} events per call against the plain inserts of {@value #BATCH} events per transaction. */
    private static void batches(AgroalDataSource pool, IdentityLinks links, int events) throws Exception {
        List<List<List<Raw>>> batches = new ArrayList<>();
        List<List<Raw>> stream = events(events, new Random(9), "b-");
        for (int i = 0; i < stream.size(); i += BATCH) {
            batches.add(stream.subList(i, Math.min(stream.size(), i + BATCH)));
        }
        long[] nanos = new long[2];
        int chunk = Math.max(1, batches.size() / CHUNKS);
        for (int from = 0, i = 0; from < batches.size(); from += chunk, i++) {
            List<List<List<Raw>>> part = batches.subList(from, Math.min(batches.size(), from + chunk));
            EventWork<List<List<Raw>>> linked = b -> links.linkAll(TENANT, b.stream().map(e -> new IdentityLinks.Event(e, "bench", "e", at(e), "RU")).toList());
            EventWork<List<List<Raw>>> plain = b -> baselineBatch(pool, b);
            if (i % 2 == 0) {
                nanos[0] += timed(part, plain);
                nanos[1] += timed(part, linked);
            } else {
                nanos[1] += timed(part, linked);
                nanos[0] += timed(part, plain);
            }
        }
        double baseRate = events * 1e9 / nanos[0];
        double linkRate = events * 1e9 / nanos[1];
        System.out.println(String.format(Locale.ROOT,
                "%-44s baseline %,14.0f ev/s   candidate %,14.0f ev/s   ratio %.3f   (%,d events, %d per call/transaction, %d threads)",
                "identity BatchLink vs batched INSERT", baseRate, linkRate, linkRate / baseRate, events, BATCH, THREADS));
    }

    private static void resolveLatency(AgroalDataSource pool, IdentityLinks links, List<List<Raw>> stream, String when) throws Exception {
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
                "%-44s baseline p50 %.2f ms p99 %.2f ms   candidate p50 %.2f ms p99 %.2f ms   ratio(p50) %.2f   (%s)",
                "identity Resolve vs SELECT by key", baseline[samples / 2] / 1e6, baseline[samples * 99 / 100] / 1e6,
                candidate[samples / 2] / 1e6, candidate[samples * 99 / 100] / 1e6,
                (double) candidate[samples / 2] / baseline[samples / 2], when));
    }

    /**
     * Seconds between the events' times ({@code -Dbench.identity.seconds-between}): 0 stamps each with the clock when it is
     * linked; more spreads the stream over the past (40,000 events 1 s apart: 11 hours), so that returning visitors come
     * back hours later and their links move last_seen, as a day's traffic does.
     */
    private static final long SPREAD = Long.getLong("bench.identity.seconds-between", 0);
    private static final Map<List<Raw>, Instant> TIMES = new IdentityHashMap<>();

    private static Instant at(List<Raw> event) {
        Instant at = TIMES.get(event);
        return at != null ? at : Instant.now();
    }

    /** New visitors (50 %), returning visitors (30 %), leads with e-mail and phone (20 %, a third of them known people). */
    public static List<List<Raw>> events(int count, Random random, String prefix) {
        List<List<Raw>> out = new ArrayList<>(count);
        int visitors = 0;
        int people = 0;
        // A second stream (another prefix) gets other client ids, still valid ones.
        long offset = prefix.isEmpty() ? 0 : 500_000_000L;
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(10);
            if (kind < 5 || visitors == 0) {
                visitors++;
                out.add(List.of(new Raw(IdentifierType.VISITOR_ID, prefix + "visitor-" + visitors),
                        new Raw(IdentifierType.GA_CLIENT_ID, "GA1.2." + (offset + 100000000 + visitors) + ".1700000000"),
                        new Raw(IdentifierType.YM_CLIENT_ID, Long.toString(offset + 1_700_000_000_000_000L + visitors))));
            } else if (kind < 8) {
                int v = 1 + random.nextInt(visitors);
                out.add(List.of(new Raw(IdentifierType.VISITOR_ID, prefix + "visitor-" + v),
                        new Raw(IdentifierType.GA_CLIENT_ID, "GA1.2." + (offset + 100000000 + v) + ".1700000000")));
            } else {
                int v = 1 + random.nextInt(visitors);
                int person = people > 0 && random.nextInt(3) == 0 ? 1 + random.nextInt(people) : ++people;
                out.add(List.of(new Raw(IdentifierType.VISITOR_ID, prefix + "visitor-" + v),
                        new Raw(IdentifierType.EMAIL, prefix + "person" + person + "@mail.ru"),
                        new Raw(IdentifierType.PHONE, String.format(Locale.ROOT, "+7 9%02d %03d-%02d-%02d",
                                (prefix.isEmpty() ? 10 : 90) + person % (prefix.isEmpty() ? 80 : 9), 100 + person / 10000 % 900, person / 100 % 100, person % 100))));
            }
        }
        if (SPREAD > 0) {
            Instant start = Instant.now().minusSeconds(count * SPREAD);
            for (int i = 0; i < count; i++) {
                TIMES.put(out.get(i), start.plusSeconds(i * SPREAD));
            }
        }
        return out;
    }

    private interface EventWork<T> {
        void apply(T event) throws Exception;
    }

    private static <T> long timed(List<T> events, EventWork<T> work) throws Exception {
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
        baselineBatch(pool, List.of(event));
    }

    /** The events' identifiers inserted one statement each, in one transaction (in key order, as concurrent writers must). */
    private static void baselineBatch(AgroalDataSource pool, List<List<Raw>> events) throws Exception {
        java.util.TreeSet<String> rows = new java.util.TreeSet<>();
        events.forEach(e -> e.forEach(raw -> rows.add(raw.type().code() + "\t" + raw.value())));
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO baseline_identifiers (tenant_id, type, match_key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (String row : rows) {
                    insert.setString(1, TENANT);
                    insert.setString(2, row.substring(0, row.indexOf('\t')));
                    insert.setString(3, row.substring(row.indexOf('\t') + 1));
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
