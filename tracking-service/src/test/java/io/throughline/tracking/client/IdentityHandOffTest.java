package io.throughline.tracking.client;

import static io.throughline.tracking.TrackingFixtures.batch;
import static io.throughline.tracking.TrackingFixtures.id;
import static io.throughline.tracking.TrackingFixtures.lead;
import static io.throughline.tracking.TrackingFixtures.pageview;
import static io.throughline.tracking.TrackingFixtures.post;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.throughline.contracts.identity.v1.IdentifierType;
import io.throughline.contracts.identity.v1.LinkRequest;
import io.throughline.contracts.identity.v1.PendingErasure;
import io.throughline.contracts.identity.v1.ResolvedIdentifier;
import io.throughline.testkit.MongoWireTestStore;
import io.throughline.tracking.FakeIdentityService;
import io.throughline.tracking.TrackingFixtures;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Leads and identifies reach identity-service over gRPC, through an outbox that outlives identity's outages. */
@QuarkusTest
@QuarkusTestResource(MongoWireTestStore.class)
class IdentityHandOffTest {

    private static final String ORIGIN = "https://shop.example.ru";

    @Inject
    MongoClient mongo;

    @Inject
    ErasureFeed erasureFeed;

    @Inject
    io.throughline.tracking.store.TrackingCollections collections;

    @AfterEach
    void identityBack() {
        FakeIdentityService.unavailable = false;
    }

    @Test
    void aLeadLinksTheVisitorWithItsContactsAndClientIds() {
        var site = TrackingFixtures.site("acme", "shop.example.ru");
        String visitor = "visitor-" + id();
        String leadId = id();
        post(batch(site.key(), visitor, lead(leadId, "Olga.Petrova@Mail.ru", "8 (916) 555-12-34", 9000)), ORIGIN)
                .statusCode(200).body("accepted", equalTo(1));
        waitFor(() -> !FakeIdentityService.linksFor(leadId).isEmpty());
        LinkRequest link = FakeIdentityService.linksFor(leadId).get(0);
        assertEquals("acme", link.getTenantId());
        assertEquals("tracking", link.getSource());
        assertEquals("RU", link.getDefaultPhoneRegion());
        Map<IdentifierType, String> ids = new java.util.HashMap<>();
        link.getIdentifiersList().forEach(i -> ids.put(i.getType(), i.getValue()));
        assertEquals(Map.of(IdentifierType.IDENTIFIER_TYPE_VISITOR_ID, visitor,
                IdentifierType.IDENTIFIER_TYPE_GA_CLIENT_ID, "GA1.2.1234567890.1732000000",
                IdentifierType.IDENTIFIER_TYPE_YM_CLIENT_ID, "1732000000123456789",
                IdentifierType.IDENTIFIER_TYPE_EMAIL, "Olga.Petrova@Mail.ru",
                IdentifierType.IDENTIFIER_TYPE_PHONE, "8 (916) 555-12-34"), ids);
        waitFor(() -> outbox().countDocuments(Filters.eq("event_id", leadId)) == 0);
    }

    @Inject
    io.throughline.tracking.store.IdentityOutbox identityOutbox;

    @Inject
    IdentityLinkRelay relay;

    @Test
    void aLinkDeliveredTheMomentItIsQueuedStillReachesTheLeadsContact() {
        // The fastest identity possible: the link is delivered inside the enqueue, before the request goes on.
        identityOutbox.onEnqueue(relay::deliverDue);
        try {
            var site = TrackingFixtures.site("acme", "shop.example.ru");
            String leadId = id();
            post(batch(site.key(), "visitor-" + id(), lead(leadId, "Fast.Identity@Mail.ru", "8 (916) 555-12-35", 9000)), ORIGIN)
                    .statusCode(200).body("accepted", equalTo(1));
            assertFalse(FakeIdentityService.linksFor(leadId).isEmpty(), "delivered inside the request");
            Document contact = collections.contacts().find(Filters.eq("_id", "acme:" + leadId)).first();
            assertEquals("person-1", contact.getString("person_id"), "the contact learned its person: " + contact.toJson());
        } finally {
            identityOutbox.onEnqueue(relay::trigger);
        }
    }

    @Test
    void linksWaitInTheOutboxWhileIdentityIsDownAndArriveWhenItIsBack() {
        var site = TrackingFixtures.site("acme", "shop.example.ru");
        FakeIdentityService.unavailable = true;
        String leadId = id();
        post(batch(site.key(), "visitor-" + id(), lead(leadId, "ivan@yandex.ru", "+79035550142", 9000)), ORIGIN).statusCode(200);
        waitFor(() -> {
            Document queued = outbox().find(Filters.eq("event_id", leadId)).first();
            return queued != null && queued.getInteger("attempts") >= 1;
        });
        assertTrue(FakeIdentityService.linksFor(leadId).isEmpty());
        Document queued = outbox().find(Filters.eq("event_id", leadId)).first();
        assertEquals("UNAVAILABLE", queued.getString("last_error"));
        String stored = queued.toJson();
        assertFalse(stored.contains("ivan@yandex.ru") || stored.contains("79035550142") || stored.contains("5550142"), "contacts wait sealed: " + stored);
        assertTrue(queued.getList("identifiers", Document.class).stream().filter(i -> i.getString("kind").equals("EMAIL"))
                .allMatch(i -> i.getString("value").startsWith("sealed:")), stored);
        assertTrue(stored.contains("visitor-"), "visitor ids stay plain: an erasure finds links by them");

        FakeIdentityService.unavailable = false;
        // The backoff after the first failure is 2 s; the relay's next round delivers it.
        waitFor(() -> !FakeIdentityService.linksFor(leadId).isEmpty());
        waitFor(() -> outbox().countDocuments(Filters.eq("event_id", leadId)) == 0);
        assertEquals(1, FakeIdentityService.linksFor(leadId).size());
        assertTrue(FakeIdentityService.linksFor(leadId).get(0).getIdentifiersList().stream().anyMatch(i -> i.getValue().equals("ivan@yandex.ru")
                && i.getType() == IdentifierType.IDENTIFIER_TYPE_EMAIL), "identity-service gets the e-mail opened");
    }

    @Test
    void linksQueuedDuringAnOutageAreHandedOffInBatches() {
        var site = TrackingFixtures.site("acme", "shop.example.ru");
        FakeIdentityService.unavailable = true;
        List<String> leads = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String leadId = id();
            leads.add(leadId);
            post(batch(site.key(), "visitor-" + id(), lead(leadId, "queued" + i + "@yandex.ru", "+7903555017" + i, 9000)), ORIGIN).statusCode(200);
        }
        waitFor(() -> outbox().countDocuments(Filters.and(Filters.in("event_id", leads), Filters.gte("attempts", 1))) == leads.size());
        int batches = FakeIdentityService.BATCH_CALLS.get();
        FakeIdentityService.unavailable = false;
        waitFor(() -> outbox().countDocuments(Filters.in("event_id", leads)) == 0);
        leads.forEach(l -> assertEquals(1, FakeIdentityService.linksFor(l).size(), "each link delivered once"));
        assertTrue(FakeIdentityService.BATCH_CALLS.get() > batches, "delivered in BatchLink calls");
    }

    @Test
    void botsAndPageViewsLinkNothing() {
        var site = TrackingFixtures.site("acme", "shop.example.ru");
        String pageviewId = id();
        String fastLead = id();
        post(batch(site.key(), "visitor-" + id(), pageview(pageviewId, "https://shop.example.ru/", null),
                lead(fastLead, "bot@mail.ru", "+79035550142", 200)), ORIGIN).statusCode(200).body("accepted", equalTo(2));
        Document stored = mongo.getDatabase("throughline_tracking").getCollection("hits").find(Filters.eq("event_id", fastLead)).first();
        assertEquals(List.of("form_too_fast"), stored.getList("exclusion_reasons", String.class));
        assertEquals(0, outbox().countDocuments(Filters.in("event_id", pageviewId, fastLead)));
    }

    @Test
    void erasuresDeleteTheVisitorsHitsAndSessionsAndAreConfirmed() {
        var site = TrackingFixtures.site("globex", "shop.example.ru");
        String erased = "visitor-" + id();
        String kept = "visitor-" + id();
        post(batch(site.key(), erased, pageview(id(), "https://shop.example.ru/", null), pageview(id(), "https://shop.example.ru/b", null)),
                ORIGIN).statusCode(200);
        post(batch(site.key(), kept, pageview(id(), "https://shop.example.ru/", null)), ORIGIN).statusCode(200);
        String erasureId = id();
        FakeIdentityService.ERASURES.add(PendingErasure.newBuilder().setErasureId(erasureId).setTenantId("globex").setPersonId("p1")
                .setRequestedAt(Timestamp.newBuilder().setSeconds(1))
                .addIdentifiers(ResolvedIdentifier.newBuilder().setType(IdentifierType.IDENTIFIER_TYPE_VISITOR_ID).setValue(erased))
                .addIdentifiers(ResolvedIdentifier.newBuilder().setType(IdentifierType.IDENTIFIER_TYPE_EMAIL).setMatchKey("k"))
                .build());
        assertTrue(erasureFeed.processPending() >= 1);
        assertEquals(Map.of("hits", 2L, "sessions", 1L, "visitors", 1L, "contacts", 0L, "identity_outbox", 0L), FakeIdentityService.CONFIRMED.get(erasureId));
        var hits = mongo.getDatabase("throughline_tracking").getCollection("hits");
        assertEquals(0, hits.countDocuments(Filters.eq("visitor_id", erased)));
        assertEquals(1, hits.countDocuments(Filters.eq("visitor_id", kept)));
    }

    @Test
    void parkedLinksWrittenPlainOrUnderARetiredKeyAreSealedAgainUnderTheCurrentOne() {
        String old = io.throughline.commons.secrets.SecretBox.generateKeyList("old");
        String fresh = io.throughline.commons.secrets.SecretBox.generateKeyList("new");
        io.throughline.commons.secrets.SecretBox before = new io.throughline.commons.secrets.SecretBox(old);
        String plainId = "reseal:" + id();
        String oldId = "reseal:" + id();
        for (Document d : List.of(parked(plainId, "plain@example.ru"), parked(oldId, before.sealText("reseal", "old@example.ru")))) {
            outbox().insertOne(d);
        }
        var ring = new io.throughline.commons.secrets.SecretBox(fresh + "," + old);
        var outboxUnderRotation = new io.throughline.tracking.store.IdentityOutbox(collections, new io.throughline.tracking.config.TrackingSecrets(ring));
        assertTrue(outboxUnderRotation.resealRetired() >= 2);
        for (String[] expected : List.of(new String[] {plainId, "plain@example.ru"}, new String[] {oldId, "old@example.ru"})) {
            String value = outbox().find(Filters.eq("_id", expected[0])).first().getList("identifiers", Document.class).stream()
                    .filter(i -> i.getString("kind").equals("EMAIL")).findFirst().orElseThrow().getString("value");
            assertFalse(ring.needsResealingText(value), "sealed under the current key: " + value);
            assertEquals(expected[1], new io.throughline.commons.secrets.SecretBox(fresh).openText("reseal", value), "the old key can go now");
        }
        outbox().deleteMany(Filters.in("_id", plainId, oldId));
    }

    private static Document parked(String id, String email) {
        return new Document("_id", id).append("tenant_id", "reseal").append("event_id", id).append("observed_at", new java.util.Date())
                .append("phone_region", "RU").append("identifiers", List.of(new Document("kind", "VISITOR_ID").append("value", "visitor-" + id),
                        new Document("kind", "EMAIL").append("value", email)))
                .append("attempts", 20).append("parked", true).append("created_at", new java.util.Date()).append("next_attempt_at", new java.util.Date());
    }

    private com.mongodb.client.MongoCollection<Document> outbox() {
        return mongo.getDatabase("throughline_tracking").getCollection("identity_outbox");
    }

    static void waitFor(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
