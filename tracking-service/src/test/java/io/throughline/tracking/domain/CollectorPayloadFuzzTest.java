package io.throughline.tracking.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * The collector's body reader under Jazzer: whatever a client sends, {@link BatchReader#read} answers (problems for
 * a bad envelope, a verdict per event otherwise) and never throws, and what it accepts stays within the collector's
 * limits. Half of the inputs are a valid envelope around fuzzed events, so the fuzzer gets past the envelope checks.
 */
class CollectorPayloadFuzzTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @FuzzTest(maxDuration = "15s")
    @DictionaryEntries({"\"events\"", "\"type\"", "\"page_view\"", "\"lead\"", "\"identify\"", "\"event_id\"", "\"occurred_at\"", "\"url\"",
            "\"contacts\"", "\"email\"", "\"phone\"", "\"props\"", "\"client\"", "\"sent_at\"", "\"site\"", "\"visitor_id\"", "\"fill_ms\"",
            "\"honeypot\"", "\"referrer\"", "2026-12-01T11:59:00Z", "https://shop.example/?utm_source=yandex&yclid=1"})
    void anyBodyIsAnsweredAndWhatIsAcceptedIsWithinLimits(FuzzedDataProvider data) {
        byte[] body;
        if (data.consumeBoolean()) {
            String events = data.consumeRemainingAsString();
            body = ("{\"site\": \"pk_live_fuzz0001\", \"visitor_id\": \"v-fuzz-0001\", \"sent_at\": \"2026-12-01T12:00:00Z\", \"events\": " + events + "}")
                    .getBytes(StandardCharsets.UTF_8);
        } else {
            body = data.consumeRemainingAsBytes();
        }
        BatchReader.Result result = BatchReader.read(body, NOW);
        if (result.badRequest()) {
            assertEquals(null, result.batch(), "a bad envelope accepts nothing");
            return;
        }
        CollectedBatch batch = result.batch();
        assertTrue(FieldFormats.isSiteKey(batch.siteKey()));
        assertTrue(FieldFormats.isVisitorId(batch.visitorId()));
        assertTrue(batch.events().size() <= BatchReader.MAX_EVENTS);
        long accepted = result.verdicts().stream().filter(v -> v.status() == EventVerdict.Status.ACCEPTED).count();
        assertEquals(accepted, batch.events().size(), "one accepted verdict per event kept");
        for (CollectedBatch.Event e : batch.events()) {
            assertFalse(e.occurredAt().isBefore(NOW.minus(BatchReader.MAX_AGE).minus(Duration.ofMinutes(5))), e::toString);
            assertFalse(e.occurredAt().isAfter(NOW.plus(BatchReader.FUTURE_TOLERANCE)), e::toString);
            assertTrue(e.props() == null || e.props().size() <= BatchReader.MAX_PROPS, e::toString);
            for (String text : new String[] {e.url(), e.referrer(), e.title(), e.form(), e.name()}) {
                assertTrue(text == null || text.length() <= 2048, () -> "an accepted text is bounded: " + text.length());
            }
        }
    }
}
