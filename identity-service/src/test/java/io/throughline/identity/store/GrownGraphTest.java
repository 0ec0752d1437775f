package io.throughline.identity.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Once the identifiers table has grown past {@code ScanFree}'s size, a link's key locks and read are kept prepared
 * with a generic plan (the joined read, also for a single event). The same links then give the same answers: new, known,
 * known again hours later (last_seen moved with the write), a merge, an erased value refused; Resolve and BatchResolve find the merged person whole.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_identity_test"))
class GrownGraphTest {

    @Inject
    DataSource dataSource;

    @Inject
    IdentityLinks links;

    @Inject
    Erasures erasures;

    @Test
    void aGrownGraphLinksAsASmallOneDoes() throws Exception {
        Sql.transaction(dataSource, c -> Sql.update(c, """
                WITH filler AS (
                    INSERT INTO persons (id, tenant_id, created_at) SELECT gen_random_uuid(), 'grown-filler', now() FROM generate_series(1, 16000)
                    RETURNING id
                )
                INSERT INTO identifiers (tenant_id, type, match_key, person_id, value, first_seen, last_seen)
                SELECT 'grown-filler', 'visitor_id', id::text, id, id::text, now(), now() FROM filler"""));
        long deadline = System.nanoTime() + 20_000_000_000L;
        boolean grown = false;
        while (!grown && System.nanoTime() < deadline) {
            grown = Sql.statements(dataSource, ScanFree::graphGrown);
            Thread.sleep(grown ? 0 : 500);
        }
        assertTrue(grown, "the filler makes the graph count as grown");

        IdentityLinks.Linked fresh = link(new Raw(IdentifierType.VISITOR_ID, "grown-v1"), new Raw(IdentifierType.GA_CLIENT_ID, "GA1.2.111111111.1700000000"));
        assertEquals(IdentityLinks.Verdict.NEW, fresh.verdict());
        IdentityLinks.Linked again = link(new Raw(IdentifierType.VISITOR_ID, "grown-v1"), new Raw(IdentifierType.GA_CLIENT_ID, "GA1.2.111111111.1700000000"));
        assertEquals(fresh.person(), again.person());
        assertEquals(IdentityLinks.Verdict.KNOWN, again.verdict());
        // Back three hours later: last_seen of the nodes and their edge is moved in the write's round trip.
        Instant later = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS).plusSeconds(3 * 3600);
        IdentityLinks.Linked back = links.link("acme", List.of(new Raw(IdentifierType.VISITOR_ID, "grown-v1"),
                new Raw(IdentifierType.GA_CLIENT_ID, "GA1.2.111111111.1700000000")), "tracking", "grown-back", later, "RU");
        assertEquals(fresh.person(), back.person());
        assertEquals(IdentityLinks.Verdict.KNOWN, back.verdict());
        assertEquals(List.of(later, later), Sql.statements(dataSource, c -> Sql.query(c, """
                SELECT min(i.last_seen) AS last_seen FROM identifiers i WHERE i.person_id = ?
                UNION ALL SELECT max(e.last_seen) FROM edges e JOIN identifiers i ON i.id = e.a WHERE i.person_id = ?""",
                rs -> Sql.instant(rs, "last_seen"), fresh.person(), fresh.person())));

        UUID other = link(new Raw(IdentifierType.VISITOR_ID, "grown-v2"), new Raw(IdentifierType.EMAIL, "grown.buyer@mail.ru")).person();
        assertNotEquals(fresh.person(), other);
        UUID merged = link(new Raw(IdentifierType.VISITOR_ID, "grown-v1"), new Raw(IdentifierType.EMAIL, "grown.buyer@mail.ru")).person();
        assertEquals(fresh.person(), merged, "the older person survives the merge");
        assertEquals(merged, link(new Raw(IdentifierType.VISITOR_ID, "grown-v2")).person());

        // Resolve and BatchResolve read the same way on a grown graph: the merged person with all four identifiers.
        IdentityLinks.Resolved resolved = links.resolve("acme", List.of(new Raw(IdentifierType.EMAIL, "grown.buyer@mail.ru")), "RU").orElseThrow();
        assertEquals(merged, resolved.person());
        assertEquals(List.of("email", "ga_client_id", "visitor_id", "visitor_id"), resolved.identifiers().stream().map(n -> n.type().code()).sorted()
                .toList());
        List<java.util.Optional<IdentityLinks.Resolved>> many = links.resolveAll("acme", List.of(
                List.of(new Raw(IdentifierType.VISITOR_ID, "grown-v2")), List.of(new Raw(IdentifierType.VISITOR_ID, "grown-nobody"))), "RU");
        assertEquals(merged, many.get(0).orElseThrow().person());
        assertEquals(4, many.get(0).orElseThrow().identifiers().size());
        assertTrue(many.get(1).isEmpty(), "an unknown visitor resolves to nobody");

        erasures.erase("acme", merged, "test", links.keys(), Instant.now());
        IdentityLinks.Linked erased = link(new Raw(IdentifierType.EMAIL, "grown.buyer@mail.ru"));
        assertNull(erased.person(), "an erased value does not come back, and no empty person is made for it");
        assertEquals(GuardReason.SUPPRESSED, erased.refused().get(0).reason());
    }

    private IdentityLinks.Linked link(Raw... raw) {
        return links.link("acme", List.of(raw), "tracking", UUID.randomUUID().toString(), Instant.now(), "RU");
    }
}
