package io.throughline.tracking.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> drain(Spool spool) {
        List<String> out = new ArrayList<>();
        for (Spool.Entry e = spool.peek(); e != null; e = spool.peek()) {
            out.add(new String(e.payload(), StandardCharsets.UTF_8));
            spool.commit(e);
        }
        return out;
    }

    @Test
    void recordsComeBackInOrderOnceDurable() throws Exception {
        try (Spool spool = new Spool(dir, 1 << 20, 1 << 16)) {
            for (int i = 0; i < 100; i++) {
                spool.append(bytes("batch-" + i)).get(5, TimeUnit.SECONDS);
            }
            assertEquals(100, spool.records());
            List<String> read = drain(spool);
            assertEquals(100, read.size());
            assertEquals("batch-0", read.get(0));
            assertEquals("batch-99", read.get(99));
            assertTrue(spool.isDrained());
            assertEquals(0, spool.bytes());
        }
    }

    @Test
    void concurrentAppendsAreGroupCommittedAndNoneIsLost() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try (Spool spool = new Spool(dir, 64 << 20, 1 << 20)) {
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                int n = i;
                acks.add(CompletableFuture.supplyAsync(() -> spool.append(bytes("b" + n)), clients).thenCompose(f -> f));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertEquals(2000, Set(drain(spool)).size());
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void whatWasNotCommittedSurvivesARestartAndSegmentsRoll() throws Exception {
        try (Spool spool = new Spool(dir, 1 << 20, 256)) {
            for (int i = 0; i < 50; i++) {
                spool.append(bytes("record number " + i)).get(5, TimeUnit.SECONDS);
            }
            for (int i = 0; i < 20; i++) {
                spool.commit(spool.peek());
            }
        }
        try (Spool reopened = new Spool(dir, 1 << 20, 256)) {
            assertEquals(30, reopened.records());
            List<String> rest = drain(reopened);
            assertEquals("record number 20", rest.get(0));
            assertEquals(30, rest.size());
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.filter(f -> f.getFileName().toString().startsWith("segment-")).count() <= 2, "consumed segments are deleted");
        }
    }

    @Test
    void aTornTailIsCutAtTheNextStart() throws Exception {
        try (Spool spool = new Spool(dir, 1 << 20, 1 << 16)) {
            spool.append(bytes("whole")).get(5, TimeUnit.SECONDS);
        }
        Path segment;
        try (var files = Files.list(dir)) {
            segment = files.filter(f -> f.getFileName().toString().startsWith("segment-")).findFirst().orElseThrow();
        }
        Files.write(segment, new byte[] {0, 0, 0, 50, 1, 2, 3, 4, 'h', 'a'}, StandardOpenOption.APPEND);
        try (Spool reopened = new Spool(dir, 1 << 20, 1 << 16)) {
            assertEquals(List.of("whole"), drain(reopened));
            reopened.append(bytes("after")).get(5, TimeUnit.SECONDS);
            assertEquals(List.of("after"), drain(reopened));
        }
    }

    @Test
    void aFullSpoolRefusesMore() throws Exception {
        try (Spool spool = new Spool(dir, 100, 1 << 16)) {
            spool.append(new byte[60]).get(5, TimeUnit.SECONDS);
            assertThrows(Spool.Full.class, () -> spool.append(new byte[60]));
            spool.commit(spool.peek());
            spool.append(new byte[60]).get(5, TimeUnit.SECONDS);
            assertArrayEquals(new byte[60], spool.peek().payload());
        }
    }

    @Test
    void anEmptySpoolHasNothingToRead() {
        try (Spool spool = new Spool(dir, 1 << 20, 1 << 16)) {
            assertNull(spool.peek());
            assertTrue(spool.isDrained());
        }
    }

    private static java.util.Set<String> Set(List<String> values) {
        return new java.util.HashSet<>(values);
    }
}
