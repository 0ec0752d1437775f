package io.throughline.calltracking.dni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.throughline.calltracking.CallTrackingFixtures;
import io.throughline.calltracking.FakeTrackingService;
import io.throughline.calltracking.store.Leases;
import io.throughline.commons.sql.Sql;
import io.throughline.testkit.PostgresTestDatabase;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Sixteen concurrent clients never hold one number at the same time; the database refuses a second holder. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_calltracking_test"))
class LeaseConcurrencyTest {

    @Inject
    Leases leases;

    @Inject
    DataSource db;

    private record Held(String number, long from, long to) {
    }

    private static Leases.Visit visit(UUID pool, String site, String visitor) {
        return new Leases.Visit("acme", pool, site, visitor, null, "https://shop.test/", null, Map.of(), Map.of());
    }

    @Test
    void sixteenClientsTakingAndReleasingNeverShareALiveNumber() throws Exception {
        String site = FakeTrackingService.site("acme", "concurrent");
        UUID pool = UUID.fromString(CallTrackingFixtures.pool("acme", site, "", CallTrackingFixtures.numbers(10, 6)));
        List<Held> held = Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            int client = c;
            results.add(clients.submit(() -> {
                start.await();
                int overflows = 0;
                for (int i = 0; i < 40; i++) {
                    Leases.Grant grant = leases.lease(visit(pool, site, "client-" + client + "-visit-" + i), 60, false);
                    if (grant.e164() == null) {
                        overflows++;
                        continue;
                    }
                    long from = System.nanoTime();
                    Thread.sleep(1);
                    long to = System.nanoTime();
                    leases.release(grant.reservationId());
                    held.add(new Held(grant.e164(), from, to));
                }
                return overflows;
            }));
        }
        start.countDown();
        int overflows = 0;
        for (Future<Integer> f : results) {
            overflows += f.get();
        }
        clients.shutdown();
        assertTrue(held.size() > 100, "most requests got a number: " + held.size() + ", overflows " + overflows);
        // Within each number, the client-observed holding intervals (inside the true ones) never overlap.
        Map<String, List<Held>> byNumber = new java.util.HashMap<>();
        held.forEach(h -> byNumber.computeIfAbsent(h.number(), k -> new ArrayList<>()).add(h));
        for (List<Held> list : byNumber.values()) {
            list.sort(java.util.Comparator.comparingLong(Held::from));
            for (int i = 1; i < list.size(); i++) {
                assertTrue(list.get(i).from() > list.get(i - 1).to(), "two live holders of " + list.get(i).number());
            }
        }
    }

    @Test
    void whenEveryoneHoldsTheFirstSixGetNumbersAndTheRestOverflow() throws Exception {
        String site = FakeTrackingService.site("acme", "burst");
        UUID pool = UUID.fromString(CallTrackingFixtures.pool("acme", site, "", CallTrackingFixtures.numbers(11, 6)));
        ExecutorService clients = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Leases.Grant>> results = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            int client = c;
            results.add(clients.submit(() -> {
                start.await();
                return leases.lease(visit(pool, site, "burst-visitor-" + client), 600, false);
            }));
        }
        start.countDown();
        List<String> numbers = new ArrayList<>();
        for (Future<Leases.Grant> f : results) {
            if (f.get().e164() != null) {
                numbers.add(f.get().e164());
            }
        }
        clients.shutdown();
        assertEquals(6, numbers.size(), numbers.toString());
        assertEquals(6, new java.util.HashSet<>(numbers).size(), "six distinct numbers: " + numbers);
    }

    @Test
    void theDatabaseRefusesASecondLeaseOnOneNumber() {
        String site = FakeTrackingService.site("acme", "constraint");
        UUID pool = UUID.fromString(CallTrackingFixtures.pool("acme", site, "", CallTrackingFixtures.numbers(12, 1)));
        Leases.Grant grant = leases.lease(visit(pool, site, "constraint-visitor"), 600, false);
        Sql.StoreException refused = assertThrows(Sql.StoreException.class, () -> Sql.transaction(db, c -> Sql.update(c,
                "INSERT INTO number_leases (number_id, reservation_id, expires_at) VALUES (?, ?, now() + interval '10 minutes')",
                grant.numberId(), UUID.randomUUID())));
        assertEquals("23505", ((SQLException) refused.getCause()).getSQLState());
    }
}
