package io.throughline.bench;

import io.agroal.api.AgroalDataSource;
import io.throughline.attribution.domain.models.AttributionResult;
import io.throughline.attribution.domain.models.ModelSpec;
import io.throughline.attribution.domain.models.PathRow;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.postgresql.PGConnection;

/**
 * Every rule-based model and order-1 Markov over 10^6 journeys (about 10^7 touchpoints: 1-19 touches each, 12
 * channels, a fifth converting), each timed against a plain {@code SELECT channel, count(*) ... GROUP BY channel}
 * over the same touchpoints in PostgreSQL in the same run (median of 3 each); and every model run twice to check
 * that equal inputs give identical credits.
 */
public final class AttributionModelsBenchmark {

    private static final String[] CHANNELS = {"direct", "organic_search", "paid_search", "paid_social", "email", "referral", "organic_social",
            "display", "affiliate", "offline", "messenger", "video"};
    private static final List<String> MODELS = List.of("first_touch", "last_touch", "last_non_direct", "linear", "position_based", "time_decay",
            "w_shaped", "full_path", "markov");
    private static final int REPEATS = 3;

    private AttributionModelsBenchmark() {
    }

    public static void run(int journeys) throws Exception {
        List<PathRow> rows = journeys(journeys, new Random(20261124));
        long touches = rows.stream().mapToLong(r -> r.channels().size()).sum();
        System.out.printf(Locale.ROOT, "attribution: %,d journeys, %,d touchpoints%n", journeys, touches);
        try (AgroalDataSource pool = BenchDatabase.fresh("throughline_bench_attribution", null, "", 2)) {
            load(pool, rows);
            double baseline = median(() -> groupBy(pool));
            for (String model : MODELS) {
                ModelSpec spec = new ModelSpec(model, null, null, null, null, 1, Set.of("direct"), null, null);
                AttributionResult[] results = new AttributionResult[1];
                double seconds = median(() -> results[0] = spec.compute(rows));
                boolean identical = spec.compute(rows).credits().equals(results[0].credits());
                System.out.printf(Locale.ROOT, "%-44s baseline %8.3f s   candidate %8.3f s   ratio %.2f   identical across runs: %s%n",
                        model + " vs SQL GROUP BY channel", baseline, seconds, seconds / baseline, identical ? "yes" : "NO");
            }
        }
    }

    /** Seeded journeys: 1-19 touches from 12 channels (direct and search more often), a fifth converting. */
    static List<PathRow> journeys(int count, Random random) {
        Instant conversion = Instant.parse("2026-11-20T12:00:00Z");
        Instant[] before = new Instant[60 * 24 * 30];
        for (int i = 0; i < before.length; i++) {
            before[i] = conversion.minusSeconds(60L * i);
        }
        Set<String> none = Set.of();
        Set<String> lead = Set.of("lead_creation");
        Set<String> opportunity = Set.of("opportunity_creation");
        Set<String> won = Set.of("closed_won");
        List<PathRow> rows = new ArrayList<>(count);
        for (int j = 0; j < count; j++) {
            int n = 1 + random.nextInt(19);
            List<String> channels = new ArrayList<>(n);
            List<Instant> times = new ArrayList<>(n);
            List<Set<String>> roles = new ArrayList<>(n);
            int minute = before.length - 1 - random.nextInt(1000);
            int leadAt = random.nextInt(n);
            int opportunityAt = leadAt + random.nextInt(n - leadAt);
            for (int i = 0; i < n; i++) {
                int c = random.nextInt(20);
                channels.add(CHANNELS[c < 4 ? 0 : c < 8 ? 2 : c < 10 ? 1 : c - 8]);
                minute = Math.max(0, minute - random.nextInt(before.length / 40));
                times.add(before[minute]);
                roles.add(i == n - 1 && i != opportunityAt ? won : i == leadAt ? lead : i == opportunityAt ? opportunity : none);
            }
            boolean converted = random.nextInt(5) == 0;
            rows.add(new PathRow(channels, converted ? 1 : 0, converted ? 0 : 1, converted ? 1000 + random.nextInt(49_000) : 0, times, conversion, roles));
        }
        return rows;
    }

    /** The same touchpoints as a table (journey, position, channel), loaded with COPY. */
    private static void load(AgroalDataSource pool, List<PathRow> rows) throws Exception {
        try (Connection c = pool.getConnection(); Statement sql = c.createStatement()) {
            sql.execute("CREATE UNLOGGED TABLE touchpoints (journey integer NOT NULL, position smallint NOT NULL, channel text NOT NULL)");
            StringBuilder chunk = new StringBuilder();
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            for (int j = 0; j < rows.size(); j++) {
                List<String> channels = rows.get(j).channels();
                for (int i = 0; i < channels.size(); i++) {
                    chunk.append(j).append('\t').append(i).append('\t').append(channels.get(i)).append('\n');
                }
                if (chunk.length() > 8_000_000 || j == rows.size() - 1) {
                    copy.copyIn("COPY touchpoints FROM STDIN", new StringReader(chunk.toString()));
                    chunk.setLength(0);
                }
            }
            sql.execute("ANALYZE touchpoints");
        }
    }

    private static void groupBy(AgroalDataSource pool) throws Exception {
        try (Connection c = pool.getConnection(); Statement sql = c.createStatement();
                ResultSet rs = sql.executeQuery("SELECT channel, count(*) FROM touchpoints GROUP BY channel")) {
            while (rs.next()) {
                rs.getLong(2);
            }
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private static double median(Work work) throws Exception {
        double[] seconds = new double[REPEATS];
        for (int i = 0; i < REPEATS; i++) {
            long t0 = System.nanoTime();
            work.run();
            seconds[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(seconds);
        return seconds[REPEATS / 2];
    }
}
