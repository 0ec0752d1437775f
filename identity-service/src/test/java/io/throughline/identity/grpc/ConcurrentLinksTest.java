package io.throughline.identity.grpc;

import static io.throughline.identity.grpc.IdentityCalls.visitor;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.throughline.contracts.identity.v1.BatchLinkRequest;
import io.throughline.contracts.identity.v1.BatchLinkResponse;
import io.throughline.contracts.identity.v1.LinkRequest;
import io.throughline.contracts.identity.v1.MutinyIdentityServiceGrpc.MutinyIdentityServiceStub;
import io.throughline.testkit.GrpcTestCalls;
import io.throughline.testkit.PostgresTestDatabase;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * 16 clients link, in random order, events that chain 46 visitor ids into one component: however
 * the merges interleave, exactly one person must remain, holding every identifier, with no merge lost
 * (an orphaned person) and none duplicated (a live person absorbed twice).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_identity_test"))
class ConcurrentLinksTest {

    /** Visitors chained by cross-domain links; below the 50-visitor limit per person so no guard interferes. */
    private static final int LINKS = 45;

    @GrpcClient("self")
    MutinyIdentityServiceStub identity;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void concurrentLinksOfOneComponentEndInOnePerson() throws Exception {
        IdentityCalls calls = new IdentityCalls(identity);
        List<Runnable> events = new ArrayList<>();
        for (int k = 0; k < LINKS; k++) {
            int i = k;
            events.add(() -> calls.link("race", visitor("race-visitor-" + i), visitor("race-visitor-" + (i + 1))));
            events.add(() -> calls.link("race", visitor("race-visitor-" + (i + 1)), visitor("race-visitor-" + i)));
        }
        Collections.shuffle(events, new Random(42));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> done = new ArrayList<>();
            events.forEach(e -> done.add(pool.submit(e)));
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }

        assertOnePersonWithoutLostMerges(calls, "race");
    }

    /** The same chain sent as BatchLink calls of 6 events each (an outbox's hand-off) by 16 clients at once. */
    @Test
    void concurrentBatchLinksOfOneComponentEndInOnePerson() throws Exception {
        IdentityCalls calls = new IdentityCalls(identity);
        List<LinkRequest> events = new ArrayList<>();
        for (int k = 0; k < LINKS; k++) {
            events.add(request("race-batch", "race-batch-visitor-" + k, "race-batch-visitor-" + (k + 1)));
            events.add(request("race-batch", "race-batch-visitor-" + (k + 1), "race-batch-visitor-" + k));
        }
        Collections.shuffle(events, new Random(43));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int from = 0; from < events.size(); from += 6) {
                List<LinkRequest> batch = events.subList(from, Math.min(events.size(), from + 6));
                done.add(pool.submit(() -> {
                    BatchLinkResponse answer = GrpcTestCalls.await(calls.stub().batchLink(
                            BatchLinkRequest.newBuilder().setTenantId("race-batch").addAllLinks(batch).build()));
                    assertEquals(batch.size(), answer.getLinksCount());
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertOnePersonWithoutLostMerges(calls, "race-batch");
    }

    private static LinkRequest request(String tenant, String a, String b) {
        return LinkRequest.newBuilder().setTenantId(tenant).setSource("tracking").setEventId(UUID.randomUUID().toString())
                .addIdentifiers(visitor(a)).addIdentifiers(visitor(b)).build();
    }

    private void assertOnePersonWithoutLostMerges(IdentityCalls calls, String tenant) throws Exception {
        String prefix = tenant + "-visitor-";
        Set<String> persons = new HashSet<>();
        for (int k = 0; k <= LINKS; k += 5) {
            persons.add(calls.resolve(tenant, visitor(prefix + k)).getPersonId());
        }
        assertEquals(1, persons.size(), "every visitor resolves to the same person");
        try (Connection c = dataSource.getConnection()) {
            assertEquals(1, count(c, "SELECT count(DISTINCT person_id) FROM identifiers WHERE tenant_id = '" + tenant + "'"));
            assertEquals(LINKS + 1, count(c, "SELECT count(*) FROM identifiers WHERE tenant_id = '" + tenant + "'"));
            assertEquals(0, count(c, "SELECT count(*) FROM guard_decisions WHERE tenant_id = '" + tenant + "'"));
            assertEquals(0, count(c, "SELECT count(*) FROM persons p WHERE p.tenant_id = '" + tenant + "' AND p.merged_into IS NULL"
                    + " AND NOT EXISTS (SELECT 1 FROM identifiers i WHERE i.person_id = p.id)"), "no orphaned live person");
            long personsCreated = count(c, "SELECT count(*) FROM persons WHERE tenant_id = '" + tenant + "'");
            long merges = count(c, "SELECT count(*) FROM merge_log WHERE tenant_id = '" + tenant + "' AND kind = 'merge'");
            assertEquals(personsCreated - 1, merges, "each person but the survivor was absorbed exactly once");
        }
    }

    private static long count(Connection c, String sql) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
