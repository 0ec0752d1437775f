package io.throughline.identity.grpc;

import static io.throughline.identity.grpc.IdentityCalls.email;
import static io.throughline.identity.grpc.IdentityCalls.visitor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import io.agroal.api.AgroalDataSource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.throughline.commons.sql.Sql;
import io.throughline.contracts.identity.v1.Identifier;
import io.throughline.contracts.identity.v1.LinkRequest;
import io.throughline.contracts.identity.v1.LinkResponse;
import io.throughline.contracts.identity.v1.MutinyIdentityServiceGrpc.MutinyIdentityServiceStub;
import io.throughline.contracts.identity.v1.PersonVerdict;
import io.throughline.testkit.GrpcTestCalls;
import io.throughline.testkit.PostgresTestDatabase;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A link whose identifiers are all known, all of one person, is answered from what it reads and writes nothing: these
 * tests hold it to writing whatever the full path would have written (an edge not drawn yet, a last_seen an hour old),
 * and the round trip that locks the keys and reads them to seeing what the previous holder of a lock committed.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_identity_test"))
class KnownLinksTest {

    @GrpcClient("self")
    MutinyIdentityServiceStub identity;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void twoKnownCookiesOfOnePersonSeenTogetherGetTheirEdge() throws Exception {
        IdentityCalls calls = new IdentityCalls(identity);
        String person = calls.link("acme", visitor("v-known-laptop"), email("known.edge@mail.ru")).getPersonId();
        assertEquals(person, calls.link("acme", visitor("v-known-phone"), email("known.edge@mail.ru")).getPersonId());
        long before = edgesOf(person);

        LinkResponse both = calls.link("acme", visitor("v-known-laptop"), visitor("v-known-phone"));
        assertEquals(person, both.getPersonId());
        assertEquals(PersonVerdict.PERSON_VERDICT_KNOWN, both.getVerdict());
        assertEquals(before + 1, edgesOf(person), "the two cookies, never seen together before, are joined by an edge");

        calls.link("acme", visitor("v-known-laptop"), visitor("v-known-phone"));
        assertEquals(before + 1, edgesOf(person), "seen together again within the hour: nothing is written");
    }

    @Test
    void aKnownVisitorBackAfterHoursHasItsLastSeenMoved() throws Exception {
        Instant first = Instant.parse("2026-11-02T10:00:00Z");
        String person = linkAt(first, visitor("v-known-back"), email("known.back@mail.ru")).getPersonId();
        assertEquals(person, linkAt(first.plusSeconds(600), visitor("v-known-back"), email("known.back@mail.ru")).getPersonId());
        assertEquals(first, lastSeenOf(person), "ten minutes later: kept to the hour, not written");

        Instant later = first.plusSeconds(3 * 3600);
        LinkResponse back = linkAt(later, visitor("v-known-back"), email("known.back@mail.ru"));
        assertEquals(person, back.getPersonId());
        assertEquals(later, lastSeenOf(person), "three hours later, the nodes and their edge are seen again");
        assertEquals(later, Sql.statements(dataSource, c -> Sql.query(c, """
                SELECT max(e.last_seen) AS last_seen FROM edges e JOIN identifiers i ON i.id = e.a WHERE i.person_id = ?::uuid""",
                rs -> Sql.instant(rs, "last_seen"), person).get(0)));
    }

    /**
     * A visitor back hours later, whose edges are drawn already, only moves last_seen: it does so without locking the
     * person, so a transaction holding the person's lock (a merge, an erasure, a payment) does not hold the link up.
     */
    @Test
    void aKnownVisitorBackAfterHoursIsNotHeldUpByALockedPerson() throws Exception {
        Instant first = Instant.parse("2026-11-04T10:00:00Z");
        String person = linkAt(first, visitor("v-back-unlocked"), email("back.unlocked@mail.ru")).getPersonId();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> Sql.transaction(dataSource, c -> {
                Sql.query(c, "SELECT 1 FROM persons WHERE id = ?::uuid FOR UPDATE", rs -> 1, person);
                held.countDown();
                await(release);
                return null;
            }), threads);
            assertTrue(held.await(10, TimeUnit.SECONDS));
            Instant later = first.plusSeconds(3 * 3600);
            LinkResponse back = CompletableFuture.supplyAsync(() -> linkAt(later, visitor("v-back-unlocked"), email("back.unlocked@mail.ru")),
                    threads).get(10, TimeUnit.SECONDS);
            assertEquals(person, back.getPersonId());
            assertEquals(later, lastSeenOf(person), "last_seen moved while the person stayed locked");
            release.countDown();
            holder.get(10, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            threads.shutdown();
        }
    }

    /**
     * A link of fresh nodes sends its COMMIT with the read of their edges, expecting to write nothing; an edge an hour old
     * means it must write after all, so it starts over in a transaction of its own and moves the edge's last_seen.
     */
    @Test
    void aKnownLinkWhoseEdgeIsAnHourOldStartsOverAndWritesIt() throws Exception {
        Instant first = Instant.parse("2026-11-03T10:00:00Z");
        String person = linkAt(first, visitor("v-edge-old-1"), visitor("v-edge-old-2")).getPersonId();
        Sql.statements(dataSource, c -> Sql.update(c, """
                UPDATE edges SET last_seen = ? WHERE a IN (SELECT id FROM identifiers WHERE person_id = ?::uuid)""",
                first.minusSeconds(2 * 3600), person));

        Instant again = first.plusSeconds(600);
        LinkResponse both = linkAt(again, visitor("v-edge-old-1"), visitor("v-edge-old-2"));
        assertEquals(person, both.getPersonId());
        assertEquals(PersonVerdict.PERSON_VERDICT_KNOWN, both.getVerdict());
        assertEquals(again, Sql.statements(dataSource, c -> Sql.query(c, """
                SELECT max(e.last_seen) AS last_seen FROM edges e JOIN identifiers i ON i.id = e.a WHERE i.person_id = ?::uuid""",
                rs -> Sql.instant(rs, "last_seen"), person).get(0)), "the edge is seen again");
        assertEquals(first, lastSeenOf(person), "the nodes, seen ten minutes ago, are not written");
    }

    /** A read sent in one round trip after a lock sees the row the lock's holder committed while it waited. */
    @Test
    void theReadAfterTheKeyLocksSeesWhatTheHolderCommittedMeanwhile() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // Two threads of its own: the common pool has one on two cores, and would run the reader only after the holder.
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> Sql.transaction(dataSource, c -> {
            Sql.query(c, "SELECT pg_advisory_xact_lock(hashtextextended('acme/pipelined-test', 0))", rs -> 1);
            held.countDown();
            await(release);
            Sql.update(c, "INSERT INTO persons (id, tenant_id, created_at) VALUES (gen_random_uuid(), 'pipelined-test', now())");
            return null;
        }), threads);
        assertTrue(held.await(10, TimeUnit.SECONDS));
        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> Sql.transaction(dataSource, c -> {
            int[] persons = {-1};
            Sql.pipelined(c, """
                    SELECT pg_advisory_xact_lock(hashtextextended('acme/pipelined-test', 0));
                    SELECT count(*) FROM persons WHERE tenant_id = 'pipelined-test'""",
                    List.of(rs -> null, rs -> persons[0] = rs.getInt(1)));
            return persons[0];
        }), threads);
        assertTrue(io.throughline.identity.LockWaits.someoneWaits(dataSource), "the reader waits for the lock");
        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
        assertEquals(1, reader.get(10, TimeUnit.SECONDS));
        threads.shutdown();
    }

    private LinkResponse linkAt(Instant at, Identifier... identifiers) {
        return GrpcTestCalls.await(new IdentityCalls(identity).stub().link(LinkRequest.newBuilder().setTenantId("acme").setSource("tracking")
                .setEventId("known-" + at.getEpochSecond()).setDefaultPhoneRegion("RU")
                .setObservedAt(Timestamp.newBuilder().setSeconds(at.getEpochSecond())).addAllIdentifiers(List.of(identifiers)).build()));
    }

    private long edgesOf(String person) {
        return Sql.statements(dataSource, c -> Sql.query(c, """
                SELECT count(*) FROM edges e JOIN identifiers i ON i.id = e.a WHERE i.person_id = ?::uuid""", rs -> rs.getLong(1), person).get(0));
    }

    private Instant lastSeenOf(String person) {
        return Sql.statements(dataSource, (Connection c) -> Sql.query(c, "SELECT min(last_seen) AS last_seen FROM identifiers WHERE person_id = ?::uuid",
                rs -> Sql.instant(rs, "last_seen"), person).get(0));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
