package io.throughline.tracking.grpc;

import static io.restassured.RestAssured.given;

import static io.throughline.tracking.TrackingFixtures.batch;
import static io.throughline.tracking.TrackingFixtures.id;
import static io.throughline.tracking.TrackingFixtures.lead;
import static io.throughline.tracking.TrackingFixtures.pageview;
import static io.throughline.tracking.TrackingFixtures.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.throughline.commons.grpc.ProtoTimes;
import io.throughline.contracts.tracking.v1.Contact;
import io.throughline.contracts.tracking.v1.ListContactChangesRequest;
import io.throughline.contracts.tracking.v1.ListContactChangesResponse;
import io.throughline.contracts.tracking.v1.MutinyTrackingServiceGrpc.MutinyTrackingServiceStub;
import io.throughline.contracts.tracking.v1.StreamTrafficRequest;
import io.throughline.contracts.tracking.v1.TrafficChunk;
import io.throughline.contracts.tracking.v1.TrafficRow;
import io.throughline.testkit.GrpcTestCalls;
import io.throughline.testkit.MongoWireTestStore;
import io.throughline.testkit.TestTokens;
import io.throughline.tracking.TrackingFixtures;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What reporting-service reads from tracking: sessions per day and campaign, and form leads with their person. */
@QuarkusTest
@QuarkusTestResource(MongoWireTestStore.class)
class ReportingFeedsTest {

    private static final String ORIGIN = "https://feeds.example.ru";

    @GrpcClient("tracking")
    MutinyTrackingServiceStub tracking;

    private MutinyTrackingServiceStub service() {
        return GrpcTestCalls.as(tracking, TestTokens.service("reporting-service"));
    }

    private List<Contact> contactsOf(String tenant, int expected) throws InterruptedException {
        List<Contact> all = new ArrayList<>();
        String cursor = "";
        Instant deadline = Instant.now().plusSeconds(15);
        while (Instant.now().isBefore(deadline)) {
            ListContactChangesResponse page = service().listContactChanges(ListContactChangesRequest.newBuilder().setAfter(cursor).setLimit(2).build())
                    .await().atMost(Duration.ofSeconds(10));
            all.addAll(page.getContactsList());
            cursor = page.getNext();
            List<Contact> mine = latest(all, tenant);
            if (page.getContactsCount() == 0) {
                if (mine.size() == expected && mine.stream().filter(c -> !c.getJunk()).allMatch(c -> !c.getPersonId().isEmpty())) {
                    return mine;
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("contacts of " + tenant + " did not arrive: " + latest(all, tenant));
    }

    /** The newest state of each contact: a contact changes again when it is linked. */
    private static List<Contact> latest(List<Contact> all, String tenant) {
        java.util.Map<String, Contact> byId = new java.util.LinkedHashMap<>();
        all.stream().filter(c -> c.getTenantId().equals(tenant)).forEach(c -> byId.put(c.getContactId(), c));
        return new ArrayList<>(byId.values());
    }

    @Test
    void leadsArriveWithTheirSessionsKeysJunkFlagsAndTheLinkedPerson() throws Exception {
        var site = TrackingFixtures.site("feeds-acme", "feeds.example.ru");
        String visitor = "visitor-" + id();
        post(batch(site.key(), visitor, pageview(id(), ORIGIN + "/?utm_source=yandex&utm_medium=cpc&utm_campaign=sofa&utm_term=divan", null),
                lead(id(), "olga.feeds@mail.ru", "+79165551234", 9000)), ORIGIN).statusCode(200);
        post(batch(site.key(), "visitor-" + id(), lead(id(), "someone@mailinator.com", "+79165551299", 9000)), ORIGIN).statusCode(200);
        List<Contact> contacts = contactsOf("feeds-acme", 2);
        Contact real = contacts.stream().filter(c -> !c.getJunk()).findFirst().orElseThrow();
        assertEquals("form", real.getKind());
        assertEquals("paid_search", real.getChannel());
        assertEquals("sofa", real.getCampaign().getCampaign());
        assertEquals("divan", real.getCampaign().getTerm());
        assertEquals(site.key(), real.getSiteKey());
        assertEquals("person-1", real.getPersonId());
        assertEquals("new", real.getVerdict());
        Contact junk = contacts.stream().filter(Contact::getJunk).findFirst().orElseThrow();
        assertTrue(junk.getJunkReasonsList().contains("disposable_email"), junk.toString());
    }

    @Test
    void aLeadTurnsJunkWhenItsSessionIsFoundABotsAfterIt() throws Exception {
        var site = TrackingFixtures.site("feeds-late-bot", "feeds.example.ru");
        String visitor = "visitor-" + id();
        post(batch(site.key(), visitor, pageview(id(), ORIGIN + "/?utm_source=yandex&utm_medium=cpc&utm_campaign=sofa", null),
                lead(id(), "late.bot@mail.ru", "+79165551277", 9000)), ORIGIN).statusCode(200);
        // Read as reporting does until the lead arrives linked; the cursor stays where that read ended.
        String[] cursor = {""};
        Contact before = readUntil(cursor, c -> !c.getPersonId().isEmpty());
        assertFalse(before.getJunk(), before.toString());
        // The same session's next batch gives the browser away (navigator.webdriver): the whole session is a bot's, and the
        // lead comes again after the cursor, junk now.
        post(batch(site.key(), visitor, pageview(id(), ORIGIN + "/catalog", null)).replace("\"webdriver\": false", "\"webdriver\": true"), ORIGIN)
                .statusCode(200);
        Contact after = readUntil(cursor, Contact::getJunk);
        assertEquals(before.getContactId(), after.getContactId());
        assertTrue(after.getJunkReasonsList().contains("headless_marker"), after.toString());
    }

    /** The feed after {@code cursor} (moved along) until feeds-late-bot's contact reads as {@code wanted}, within 15 s. */
    private Contact readUntil(String[] cursor, java.util.function.Predicate<Contact> wanted) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(15);
        List<Contact> seen = new ArrayList<>();
        while (Instant.now().isBefore(deadline)) {
            ListContactChangesResponse page = service().listContactChanges(ListContactChangesRequest.newBuilder().setAfter(cursor[0]).build())
                    .await().atMost(Duration.ofSeconds(10));
            cursor[0] = page.getNext();
            for (Contact c : page.getContactsList()) {
                if (c.getTenantId().equals("feeds-late-bot")) {
                    seen.add(c);
                    if (wanted.test(c)) {
                        return c;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("feeds-late-bot's contact never came as wanted after the cursor: " + seen);
    }

    /** Every session change from the cursor on, read in small pages until nothing new arrives for a moment. */
    private List<io.throughline.contracts.tracking.v1.SessionChange> sessionChangesAfter(String cursor, java.util.function.Predicate<List<io.throughline.contracts.tracking.v1.SessionChange>> enough)
            throws InterruptedException {
        List<io.throughline.contracts.tracking.v1.SessionChange> all = new ArrayList<>();
        Instant deadline = Instant.now().plusSeconds(15);
        while (Instant.now().isBefore(deadline)) {
            var page = service().listSessionChanges(io.throughline.contracts.tracking.v1.ListSessionChangesRequest.newBuilder().setAfter(cursor)
                    .setLimit(3).build()).await().atMost(Duration.ofSeconds(10));
            all.addAll(page.getSessionsList());
            cursor = page.getNext();
            if (page.getSessionsCount() == 0) {
                if (enough.test(all)) {
                    return all;
                }
                Thread.sleep(100);
            }
        }
        return all;
    }

    @Test
    void newSessionsAreInTheSessionChangeFeedOnceNotOnEveryHit() throws Exception {
        var site = TrackingFixtures.site("feeds-sessions", "sessions.example.ru");
        String origin = "https://sessions.example.ru";
        String cursor = "";
        for (int page = 0; page < 1000; page++) {
            var answer = service().listSessionChanges(io.throughline.contracts.tracking.v1.ListSessionChangesRequest.newBuilder()
                    .setAfter(cursor).build()).await().atMost(Duration.ofSeconds(10));
            cursor = answer.getNext();
            if (answer.getSessionsCount() == 0) {
                break;
            }
        }
        String visitor = "visitor-" + id();
        post(batch(site.key(), visitor, pageview(id(), origin + "/?utm_source=vk&utm_medium=cpc", null)), origin).statusCode(200);
        post(batch(site.key(), visitor, pageview(id(), origin + "/catalog", null)), origin).statusCode(200);
        java.util.function.Predicate<List<io.throughline.contracts.tracking.v1.SessionChange>> mine =
                all -> all.stream().anyMatch(c -> c.getVisitorId().equals(visitor));
        List<io.throughline.contracts.tracking.v1.SessionChange> changes = sessionChangesAfter(cursor, mine);
        List<io.throughline.contracts.tracking.v1.SessionChange> ofVisitor = changes.stream().filter(c -> c.getVisitorId().equals(visitor)).toList();
        assertEquals(1, ofVisitor.size(), "one session, one change: " + ofVisitor);
        assertEquals("feeds-sessions", ofVisitor.get(0).getTenantId());
        assertTrue(ofVisitor.get(0).hasStartedAt());
        assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, assertThrows(io.grpc.StatusRuntimeException.class, () -> service().listSessionChanges(
                io.throughline.contracts.tracking.v1.ListSessionChangesRequest.newBuilder().setAfter("nonsense").build())
                .await().atMost(Duration.ofSeconds(10))).getStatus().getCode());
    }

    @Test
    void trafficCountsSessionsPerDayInTheWorkspacesZoneAndBotsApart() {
        var site = TrackingFixtures.site("feeds-traffic", "traffic.example.ru");
        String origin = "https://traffic.example.ru";
        for (int i = 0; i < 3; i++) {
            post(batch(site.key(), "visitor-" + id(), pageview(id(), origin + "/?utm_source=vk&utm_medium=cpc&utm_campaign=retarget", null)), origin)
                    .statusCode(200);
        }
        given().contentType("text/plain;charset=UTF-8").header("User-Agent", "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)")
                .header("Origin", origin).body(batch(site.key(), "visitor-" + id(), pageview(id(), origin + "/?utm_source=vk&utm_medium=cpc&utm_campaign=retarget",
                        null))).when().post("/collect").then().statusCode(200);
        Instant now = Instant.now();
        List<TrafficRow> rows = new ArrayList<>();
        service().streamTraffic(StreamTrafficRequest.newBuilder().setRange(ProtoTimes.range(now.minusSeconds(3600), now.plusSeconds(60)))
                .putTimeZones("feeds-traffic", "Asia/Vladivostok").setDefaultTimeZone("Europe/Moscow").build())
                .collect().asList().await().atMost(Duration.ofSeconds(20)).forEach((TrafficChunk c) -> rows.addAll(c.getRowsList()));
        List<TrafficRow> mine = rows.stream().filter(r -> r.getTenantId().equals("feeds-traffic")).toList();
        assertEquals(3, mine.stream().mapToLong(TrafficRow::getSessions).sum(), "people's sessions");
        assertEquals(1, mine.stream().mapToLong(TrafficRow::getBotSessions).sum(), "the crawler's, apart");
        assertTrue(mine.stream().allMatch(r -> r.getCampaign().getSource().equals("vk") && r.getSiteKey().equals(site.key())));
        LocalDate vladivostok = LocalDate.now(ZoneId.of("Asia/Vladivostok"));
        assertTrue(mine.stream().allMatch(r -> LocalDate.parse(r.getDay()).equals(vladivostok) || LocalDate.parse(r.getDay()).equals(vladivostok.minusDays(1))));
        assertFalse(rows.isEmpty());
        assertEquals(Status.Code.PERMISSION_DENIED, GrpcTestCalls.statusOf(() -> GrpcTestCalls.as(tracking, TestTokens.user("feeds-traffic", "admin"))
                .listContactChanges(ListContactChangesRequest.getDefaultInstance())));
    }
}
