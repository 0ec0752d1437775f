package io.throughline.identity.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.throughline.commons.sql.Sql;
import io.throughline.identity.api.IdentityLinks;
import io.throughline.identity.api.IdentityLinks.Raw;
import io.throughline.identity.domain.GuardReason;
import io.throughline.identity.domain.IdentifierType;
import io.throughline.testkit.PostgresTestDatabase;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A person is erased while a link that read its e-mail waits for the person's lock: when the link goes on, the e-mail
 * is gone and suppressed, and the link refuses it instead of making it again.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_identity_test"))
class ErasedWhileLinkingTest {

    @Inject
    DataSource dataSource;

    @Inject
    IdentityLinks links;

    @Test
    void aValueErasedWhileALinkWaitsIsRefusedNotMadeAgain() throws Exception {
        UUID person = link(new Raw(IdentifierType.EMAIL, "erased.midway@mail.ru"), new Raw(IdentifierType.VISITOR_ID, "v-midway-1")).person();
        String email = links.keys().matchKey("acme", "erased.midway@mail.ru");
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // Erasure's own steps, held open: the person locked, its values suppressed, its nodes deleted.
        // Two threads of its own: the common pool has one on two cores, and would run the link only after the erasure.
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        CompletableFuture<Void> erasure = CompletableFuture.runAsync(() -> Sql.transaction(dataSource, c -> {
            Sql.query(c, "SELECT id FROM persons WHERE id = ? FOR UPDATE", rs -> 1, person);
            Sql.update(c, """
                    INSERT INTO suppressions (tenant_id, type, match_key, erasure_id, at)
                    SELECT tenant_id, type, match_key, gen_random_uuid(), now() FROM identifiers WHERE person_id = ?""", person);
            Sql.update(c, "DELETE FROM identifiers WHERE person_id = ?", person);
            locked.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }), threads);
        assertTrue(locked.await(10, TimeUnit.SECONDS));
        // A lead on a new visitor with the e-mail: it reads the e-mail's node, then waits for the person's lock.
        CompletableFuture<IdentityLinks.Linked> lead = CompletableFuture.supplyAsync(() -> link(
                new Raw(IdentifierType.EMAIL, "erased.midway@mail.ru"), new Raw(IdentifierType.VISITOR_ID, "v-midway-2")), threads);
        assertTrue(io.throughline.identity.LockWaits.someoneWaits(dataSource), "the link waits for the person's lock");
        release.countDown();
        erasure.get(10, TimeUnit.SECONDS);
        IdentityLinks.Linked linked = lead.get(10, TimeUnit.SECONDS);
        threads.shutdown();

        assertNotEquals(person, linked.person(), "the new visitor is a new person");
        assertEquals(List.of(GuardReason.SUPPRESSED), linked.refused().stream().map(r -> r.reason()).toList());
        long emails = Sql.statements(dataSource, c -> Sql.query(c, "SELECT count(*) FROM identifiers WHERE type = 'email' AND match_key = ?",
                rs -> rs.getLong(1), email).get(0));
        assertEquals(0, emails, "the erased e-mail was not made again");
    }

    private IdentityLinks.Linked link(Raw... raw) {
        return links.link("acme", List.of(raw), "tracking", UUID.randomUUID().toString(), Instant.now(), "RU");
    }
}
