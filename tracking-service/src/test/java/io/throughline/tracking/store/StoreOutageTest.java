package io.throughline.tracking.store;

import static io.restassured.RestAssured.given;
import static io.throughline.tracking.TrackingFixtures.batch;
import static io.throughline.tracking.TrackingFixtures.id;
import static io.throughline.tracking.TrackingFixtures.lead;
import static io.throughline.tracking.TrackingFixtures.pageview;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.throughline.tracking.TrackingFixtures;
import io.throughline.tracking.config.TrackingConfig;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The store process is killed in the middle of a burst and started again: the collector keeps acknowledging
 * into its spool, says so in readiness and metrics, refuses with 503 and Retry-After when the spool is full,
 * and afterwards every acknowledged event is in the store exactly once. Leads' contacts waiting in the spool are sealed:
 * no e-mail or phone is on disk in the clear.
 */
@QuarkusTest
@TestProfile(StoreOutageTest.SmallSpool.class)
class StoreOutageTest {

    /** A store that can be killed, a spool small enough to fill, limits high enough for a burst from one machine. */
    public static class SmallSpool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("throughline.tracking.spool.max-bytes", "600000", "throughline.tracking.spool.segment-bytes", "65536",
                    "throughline.tracking.spool.probe-interval", "200ms",
                    "throughline.tracking.collect.ip-per-second", "100000", "throughline.tracking.collect.ip-burst", "100000",
                    "throughline.tracking.collect.site-per-second", "100000", "throughline.tracking.collect.site-burst", "100000");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(StoreProcess.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    private static final String ORIGIN = "https://shop.example.ru";

    @Inject
    MongoClient mongo;

    @Inject
    TrackingConfig config;

    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicInteger spooled = new AtomicInteger();
    private final AtomicInteger leadsSpooled = new AtomicInteger();
    private final AtomicInteger refusedFull = new AtomicInteger();
    private final AtomicInteger otherFailures = new AtomicInteger();

    @Test
    void everyAcknowledgedEventSurvivesTheStoreBeingKilledMidBurst() throws Exception {
        TrackingFixtures.TestSite site = TrackingFixtures.site("outage", "shop.example.ru");
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService senders = Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            int sender = t;
            senders.submit(() -> {
                int n = 0;
                while (running.get()) {
                    send(site.key(), "visitor-" + sender + "-" + (n % 25), n % 4 == 3 ? sender * 100_000 + n : -1);
                    n++;
                }
            });
        }
        try {
            waitFor(() -> acknowledged.size() >= 200, "200 events stored before the outage");
            StoreProcess.kill();
            int beforeOutage = acknowledged.size();
            waitFor(() -> spooled.get() >= 40, "batches acknowledged into the spool");
            Response ready = given().when().get("/q/health/ready");
            assertEquals(200, ready.statusCode(), "still ready: the spool has room");
            assertEquals("down", ready.path("checks.find { it.name == 'collector' }.data.store"));
            assertEquals("spool", ready.path("checks.find { it.name == 'collector' }.data.writing_to"));
            assertEquals(Boolean.TRUE, ready.path("checks.find { it.name == 'collector' }.data.spool_sealed"));
            assertNoContactOnDisk();
            String metrics = given().when().get("/q/metrics").then().extract().asString();
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("throughline_store_up") && l.trim().endsWith(" 0.0")), "store_up is 0");
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("throughline_spool_batches") && !l.trim().endsWith(" 0.0")), "spool_batches > 0");

            waitFor(() -> refusedFull.get() > 0, "the full spool refuses with 503");
            assertTrue(acknowledged.size() > beforeOutage, "accepted during the outage");
            given().when().get("/q/health/ready").then().statusCode(503);

            StoreProcess.launch();
            int atRestart = acknowledged.size();
            waitFor(() -> acknowledged.size() >= atRestart + 200, "stored again after the restart");
        } finally {
            running.set(false);
            senders.shutdown();
            senders.awaitTermination(30, TimeUnit.SECONDS);
        }
        waitFor(() -> {
            Response r = given().when().get("/q/health/ready");
            return r.statusCode() == 200 && "store".equals(r.path("checks.find { it.name == 'collector' }.data.writing_to"))
                    && Integer.valueOf(0).equals(r.path("checks.find { it.name == 'collector' }.data.spool_batches"));
        }, "the spool drained into the store");

        var hits = mongo.getDatabase("throughline_tracking").getCollection("hits");
        List<String> keys = acknowledged.stream().map(id -> "outage:" + id).toList();
        long found = 0;
        for (int i = 0; i < keys.size(); i += 500) {
            found += hits.countDocuments(Filters.in("_id", keys.subList(i, Math.min(keys.size(), i + 500))));
        }
        assertEquals(acknowledged.size(), found, "every acknowledged event is in the store");
        assertEquals(acknowledged.size(), hits.countDocuments(Filters.eq("tenant_id", "outage")), "and nothing else, nothing twice");
        Set<String> sessionIds = new HashSet<>();
        hits.find(Filters.eq("tenant_id", "outage")).forEach((Document d) -> sessionIds.add(d.getString("session_id")));
        assertEquals(sessionIds.size(), mongo.getDatabase("throughline_tracking").getCollection("sessions")
                .countDocuments(Filters.in("_id", new ArrayList<>(sessionIds))), "every hit's session exists");
        assertTrue(spooled.get() > 0 && refusedFull.get() > 0);
        assertEquals(0, otherFailures.get(), "no other failure than a full spool");
    }

    /** The spool's files hold leads sent during the outage, yet none of their e-mails or phones. */
    private void assertNoContactOnDisk() throws java.io.IOException {
        waitFor(() -> leadsSpooled.get() >= 3, "leads acknowledged into the spool");
        int files = 0;
        try (var paths = java.nio.file.Files.walk(java.nio.file.Path.of(config.spool().directory()))) {
            for (java.nio.file.Path file : paths.filter(java.nio.file.Files::isRegularFile).toList()) {
                String text = new String(java.nio.file.Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertFalse(text.contains("@sealed.example") || text.contains("+7916555") || text.contains("shop.example.ru"), file + " holds a contact");
                files++;
            }
        }
        assertTrue(files > 0, "the spool has files");
    }

    /** {@code lead} >= 0: the batch's second event is a lead with that number's e-mail and phone. */
    private void send(String siteKey, String visitor, int lead) {
        String first = id();
        String second = id();
        Response r = given().contentType("text/plain").header("Origin", ORIGIN)
                .body(batch(siteKey, visitor, pageview(first, "https://shop.example.ru/?utm_source=vk&utm_medium=cpc", null),
                        lead >= 0 ? lead(second, "lead." + lead + "@sealed.example", String.format("+7916555%04d", lead % 10_000), 4200)
                                : pageview(second, "https://shop.example.ru/next", "https://shop.example.ru/")))
                .when().post("/collect");
        if (r.statusCode() == 200 || r.statusCode() == 202) {
            acknowledged.add(first);
            acknowledged.add(second);
            if (r.statusCode() == 202) {
                spooled.incrementAndGet();
                if (lead >= 0) {
                    leadsSpooled.incrementAndGet();
                }
            }
        } else if (r.statusCode() == 503 && r.getHeader("Retry-After") != null
                && "https://throughline.io/problems/spool-full".equals(r.path("type"))) {
            refusedFull.incrementAndGet();
            pause(100);
        } else {
            otherFailures.incrementAndGet();
            System.err.println("unexpected answer " + r.statusCode() + ": " + r.asString());
        }
    }

    private void waitFor(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 90 s: " + what + " (acknowledged " + acknowledged.size() + ", batches spooled "
                        + spooled + ", of them with a lead " + leadsSpooled + ", refused as full " + refusedFull + ", other failures "
                        + otherFailures + ")");
            }
            pause(50);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
