package io.throughline.bench;

import io.agroal.api.AgroalDataSource;
import io.throughline.calltracking.store.Leases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * calltracking's number allocation: lease + release cycles by 8 concurrent callers on one 64-number pool with
 * the service's own {@link Leases} (one statement, SKIP LOCKED, the lease table's key as the guard), against the
 * same allocation written the plain way (SELECT ... FOR UPDATE of the first free number, then the lease, retried
 * when another caller took it first), alternating rounds in one run on the same PostgreSQL. Also prints the
 * candidate's cycle latency. Needs PostgreSQL at PGHOST:PGPORT (default localhost:5432, user postgres).
 */
public final class LeaseBenchmark {

    private static final int THREADS = 8;
    private static final int NUMBERS = 64;
    private static final int ROUNDS = 5;

    private LeaseBenchmark() {
    }

    public static void run(int cyclesPerRound) throws Exception {
        try (AgroalDataSource pool = BenchDatabase.fresh("throughline_bench_calltracking", "classpath:db/calltracking", "", THREADS + 2)) {
            UUID poolId = setUp(pool);
            Leases leases = new Leases(pool);
            AtomicLong visitor = new AtomicLong();
            Cycle candidate = () -> {
                Leases.Grant grant = leases.lease(new Leases.Visit("bench", poolId, "pk_bench", "v" + visitor.incrementAndGet(), null, null, null,
                        Map.of(), Map.of()), 180, false);
                if (grant.reservationId() != null) {
                    leases.release(grant.reservationId());
                }
            };
            Cycle baseline = () -> plainCycle(pool, poolId, "v" + visitor.incrementAndGet());
            double[] base = new double[ROUNDS];
            double[] cand = new double[ROUNDS];
            long[] latencies = new long[cyclesPerRound * ROUNDS];
            timed(candidate, cyclesPerRound / 4, null, 0);
            timed(baseline, cyclesPerRound / 4, null, 0);
            for (int r = 0; r < ROUNDS; r++) {
                if (r % 2 == 0) {
                    base[r] = timed(baseline, cyclesPerRound, null, 0);
                    cand[r] = timed(candidate, cyclesPerRound, latencies, r * cyclesPerRound);
                } else {
                    cand[r] = timed(candidate, cyclesPerRound, latencies, r * cyclesPerRound);
                    base[r] = timed(baseline, cyclesPerRound, null, 0);
                }
            }
            Arrays.sort(base);
            Arrays.sort(cand);
            Arrays.sort(latencies);
            double b = base[ROUNDS / 2];
            double c = cand[ROUNDS / 2];
            System.out.println(String.format(Locale.ROOT,
                    "%-44s baseline %,14.0f cyc/s  candidate %,14.0f cyc/s  ratio %.3f   (%d callers, %d numbers, median of %d rounds)",
                    "DNI lease+release vs SELECT FOR UPDATE", b, c, c / b, THREADS, NUMBERS, ROUNDS));
            System.out.println(String.format(Locale.ROOT, "%-44s p50 %.2f ms   p99 %.2f ms", "DNI lease+release cycle latency",
                    latencies[latencies.length / 2] / 1e6, latencies[latencies.length * 99 / 100] / 1e6));
        }
    }

    private interface Cycle {
        void run() throws Exception;
    }

    /** Cycles per second over {@code cycles} cycles shared by the callers; latencies recorded when given. */
    private static double timed(Cycle cycle, int cycles, long[] latencies, int offset) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(THREADS);
        AtomicLong next = new AtomicLong();
        long start = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(callers.submit(() -> {
                    for (long i = next.getAndIncrement(); i < cycles; i = next.getAndIncrement()) {
                        long t0 = System.nanoTime();
                        cycle.run();
                        if (latencies != null) {
                            latencies[offset + (int) i] = System.nanoTime() - t0;
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            callers.shutdown();
        }
        return cycles * 1e9 / (System.nanoTime() - start);
    }

    /** The straightforward allocation: lock the first free number, lease it (retry when it was taken meanwhile), release. */
    private static void plainCycle(AgroalDataSource pool, UUID poolId, String visitor) throws Exception {
        UUID reservation = UUID.randomUUID();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            UUID number = null;
            while (number == null) {
                try (PreparedStatement pick = c.prepareStatement("""
                        SELECT n.id FROM numbers n LEFT JOIN number_leases l ON l.number_id = n.id
                         WHERE n.pool_id = ? AND n.active AND (l.number_id IS NULL OR l.expires_at <= now())
                         ORDER BY l.expires_at ASC NULLS FIRST LIMIT 1 FOR UPDATE OF n""")) {
                    pick.setObject(1, poolId);
                    try (ResultSet rs = pick.executeQuery()) {
                        UUID candidate = rs.next() ? rs.getObject(1, UUID.class) : null;
                        if (candidate == null) {
                            c.rollback();
                            return;
                        }
                        try (PreparedStatement lease = c.prepareStatement("""
                                INSERT INTO number_leases (number_id, reservation_id, expires_at) VALUES (?, ?, now() + interval '180 seconds')
                                ON CONFLICT (number_id) DO UPDATE SET reservation_id = EXCLUDED.reservation_id, expires_at = EXCLUDED.expires_at
                                 WHERE number_leases.expires_at <= now()""")) {
                            lease.setObject(1, candidate);
                            lease.setObject(2, reservation);
                            if (lease.executeUpdate() == 1) {
                                number = candidate;
                            } else {
                                c.rollback();
                            }
                        }
                    }
                }
            }
            try (PreparedStatement history = c.prepareStatement("""
                    INSERT INTO reservations (id, tenant_id, pool_id, number_id, site_key, visitor_id, assigned_at, last_seen_at, hold_seconds)
                    VALUES (?, 'bench', ?, ?, 'pk_bench', ?, now(), now(), 180)""")) {
                history.setObject(1, reservation);
                history.setObject(2, poolId);
                history.setObject(3, number);
                history.setString(4, visitor);
                history.executeUpdate();
            }
            c.commit();
            try (PreparedStatement end = c.prepareStatement("UPDATE reservations SET last_seen_at = now(), hold_seconds = 0 WHERE id = ?");
                    PreparedStatement free = c.prepareStatement("DELETE FROM number_leases WHERE reservation_id = ?")) {
                end.setObject(1, reservation);
                end.executeUpdate();
                free.setObject(1, reservation);
                free.executeUpdate();
            }
            c.commit();
        }
    }

    private static UUID setUp(AgroalDataSource pool) throws Exception {
        UUID poolId = UUID.randomUUID();
        try (Connection c = pool.getConnection(); Statement sql = c.createStatement()) {
            sql.execute("INSERT INTO pools (id, tenant_id, site_key, name, hold_seconds, overflow_policy, created_at) VALUES ('" + poolId
                    + "', 'bench', 'pk_bench', 'bench', 180, 'default_number', now())");
            for (int i = 0; i < NUMBERS; i++) {
                sql.execute(String.format(Locale.ROOT, "INSERT INTO numbers (id, tenant_id, site_key, pool_id, kind, e164, created_at) VALUES "
                        + "('%s', 'bench', 'pk_bench', '%s', 'pool', '+7495300%04d', now())", UUID.randomUUID(), poolId, i));
            }
        }
        return poolId;
    }
}
