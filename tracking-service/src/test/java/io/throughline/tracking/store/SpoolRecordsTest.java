package io.throughline.tracking.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.throughline.commons.secrets.SecretBox;
import io.throughline.tracking.domain.CollectedBatch;
import io.throughline.tracking.domain.EventType;
import io.throughline.tracking.domain.Hit;
import io.throughline.tracking.domain.HitBatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spooled batches on disk: sealed under the tracking key ring, bound to their workspace, readable across a key rotation. */
class SpoolRecordsTest {

    private static final String K1 = SecretBox.generateKeyList("k1");
    private static final String K2 = SecretBox.generateKeyList("k2");
    /** As Quarkus makes it: unknown properties (a record's derived getters) are ignored on reading. */
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @TempDir
    Path dir;

    private static HitBatch lead(String tenant, String email, String phone) {
        Instant at = Instant.parse("2026-12-06T10:15:30Z");
        Hit hit = new Hit("e-" + email, tenant, "site-1", "visitor-1", EventType.LEAD, at, at, "https://shop.example.ru/contact", "/contact", "Contact",
                null, null, "desktop", "Mozilla/5.0", "203.0.113.0", null, null, new Hit.Lead("callback", "i***@example.ru", "+7 *** ***-**-67", true, 4200L),
                new CollectedBatch.Contacts(email, phone, "Ольга Петрова", null), null, Map.of(), List.of());
        return new HitBatch(tenant, "visitor-1", 30, "RU", List.of(hit));
    }

    private static String text(byte[] record) {
        return new String(record, StandardCharsets.ISO_8859_1) + new String(record, StandardCharsets.UTF_8);
    }

    @Test
    void aSpooledLeadCarriesNoContactInTheClearAndComesBackWhole() throws Exception {
        HitBatch batch = lead("acme", "olga.petrova@example.ru", "+79161234567");
        byte[] record = new SpoolRecords(JSON, new SecretBox(K1)).write(batch);
        for (String clear : List.of("olga.petrova@example.ru", "79161234567", "Ольга", "callback", "shop.example.ru", "visitor-1")) {
            assertFalse(text(record).contains(clear), clear + " is on disk in the clear");
        }
        assertEquals("k1", SpoolRecords.keyOf(record));
        assertEquals(batch, new SpoolRecords(JSON, new SecretBox(K1)).read(record));
    }

    @Test
    void afterARotationOldRecordsOpenWhileTheirKeyIsListedAndWaitWhenItIsNot() throws Exception {
        byte[] old = new SpoolRecords(JSON, new SecretBox(K1)).write(lead("acme", "a@example.ru", "+79160000001"));
        SpoolRecords rotated = new SpoolRecords(JSON, new SecretBox(K2 + "," + K1));
        byte[] fresh = rotated.write(lead("acme", "b@example.ru", "+79160000002"));
        assertEquals("k2", SpoolRecords.keyOf(fresh), "the first key of the ring seals");
        assertEquals("a@example.ru", rotated.read(old).hits().get(0).contacts().email());
        assertEquals("b@example.ru", rotated.read(fresh).hits().get(0).contacts().email());
        SpoolRecords dropped = new SpoolRecords(JSON, new SecretBox(K2));
        SpoolRecords.KeyMissing missing = assertThrows(SpoolRecords.KeyMissing.class, () -> dropped.read(old));
        assertTrue(missing.getMessage().contains("'k1'"), missing.getMessage());
        assertThrows(SpoolRecords.KeyMissing.class, () -> new SpoolRecords(JSON, null).read(fresh), "no keys at all: the record waits too");
    }

    @Test
    void aRecordMovedToAnotherWorkspaceOrAlteredDoesNotOpen() throws Exception {
        SpoolRecords records = new SpoolRecords(JSON, new SecretBox(K1));
        byte[] record = records.write(lead("acme", "a@example.ru", "+79160000001"));
        byte[] moved = new byte[record.length + 2];
        System.arraycopy(record, 0, moved, 0, 2);
        moved[2] = 6;
        System.arraycopy("globex".getBytes(StandardCharsets.UTF_8), 0, moved, 3, 6);
        System.arraycopy(record, 7, moved, 9, record.length - 7);
        assertThrows(IllegalArgumentException.class, () -> records.read(moved), "sealed for acme, claimed by globex");
        byte[] altered = record.clone();
        altered[altered.length - 5] ^= 1;
        assertThrows(IllegalArgumentException.class, () -> records.read(altered));
    }

    @Test
    void batchesSpooledBeforeSealingStillReplayAndTheSpoolSaysUnderWhichKeysItsRecordsWait() throws Exception {
        HitBatch before = lead("acme", "legacy@example.ru", "+79160000003");
        SpoolRecords records = new SpoolRecords(JSON, new SecretBox(K1));
        try (Spool spool = new Spool(dir, 1 << 20, 1 << 16)) {
            spool.append(JSON.writeValueAsBytes(before)).get(5, TimeUnit.SECONDS);
            spool.append(records.write(lead("acme", "new@example.ru", "+79160000004"))).get(5, TimeUnit.SECONDS);
        }
        try (Spool reopened = new Spool(dir, 1 << 20, 1 << 16)) {
            List<String> keys = new ArrayList<>();
            reopened.forEachPending(SpoolRecords.KEY_HEAD, r -> keys.add(SpoolRecords.keyOf(r)));
            assertEquals(List.of(SpoolRecords.PLAIN, "k1"), keys);
            assertEquals(before, records.read(reopened.peek().payload()));
            reopened.commit(reopened.peek());
            assertEquals("new@example.ru", records.read(reopened.peek().payload()).hits().get(0).contacts().email());
            List<String> left = new ArrayList<>();
            reopened.forEachPending(SpoolRecords.KEY_HEAD, r -> left.add(SpoolRecords.keyOf(r)));
            assertEquals(List.of("k1"), left, "a look at what waits does not move the read position, a commit does");
        }
    }

    @Test
    void theKeyOfARecordIsReadFromItsHeadAlone() throws Exception {
        String longest = "w" + "x".repeat(63);
        String key = "k".repeat(32);
        SpoolRecords records = new SpoolRecords(JSON, new SecretBox(SecretBox.generateKeyList(key)));
        byte[] big = records.write(lead(longest, "a".repeat(4000) + "@example.ru", "+79160000005"));
        assertTrue(big.length > 4 * SpoolRecords.KEY_HEAD, "a record much longer than its head");
        try (Spool spool = new Spool(dir, 1 << 20, 1 << 16)) {
            spool.append(big).get(5, TimeUnit.SECONDS);
            List<byte[]> heads = new ArrayList<>();
            spool.forEachPending(SpoolRecords.KEY_HEAD, heads::add);
            assertEquals(1, heads.size());
            assertEquals(SpoolRecords.KEY_HEAD, heads.get(0).length, "only the head is read");
            assertEquals(key, SpoolRecords.keyOf(heads.get(0)));
            assertEquals(SpoolRecords.keyOf(big), SpoolRecords.keyOf(heads.get(0)));
        }
    }
}
