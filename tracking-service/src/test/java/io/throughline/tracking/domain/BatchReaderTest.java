package io.throughline.tracking.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BatchReaderTest {

    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    private static final String ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

    private static BatchReader.Result read(String json) {
        return BatchReader.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), NOW);
    }

    private static String batch(String events) {
        return "{\"site\": \"pk_abc\", \"visitor_id\": \"v-1234567890\", \"sent_at\": \"2026-11-20T13:00:00+03:00\", \"events\": [" + events + "]}";
    }

    private static String pageview(String id, String ts) {
        return "{\"event_id\": \"" + id + "\", \"type\": \"pageview\", \"ts\": \"" + ts + "\", \"url\": \"https://shop.ru/\"}";
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            [] | body
            {"visitor_id": "v-1234567890", "events": [{}]} | site
            {"site": "pk_abc", "events": [{}]} | visitor_id
            {"site": "pk_abc", "visitor_id": "short", "events": [{}]} | visitor_id
            {"site": "pk_abc", "visitor_id": "v-1234567890"} | events
            {"site": "pk_abc", "visitor_id": "v-1234567890", "events": []} | events
            {"site": "pk_abc", "visitor_id": "v-1234567890", "events": {}} | events
            {"site": "pk_abc", "visitor_id": "v-1234567890", "sent_at": "yesterday", "events": [{}]} | sent_at
            {"site": "pk_abc", "visitor_id": "v-1234567890", "client": 5, "events": [{}]} | client
            """)
    void aBadEnvelopeMakesTheWholeRequestBad(String json, String field) throws Exception {
        BatchReader.Result r = read(json);
        assertTrue(r.badRequest());
        assertEquals(field, r.problems().get(0).field().isEmpty() ? "body" : r.problems().get(0).field());
    }

    @Test
    void whatIsNotJsonIsMalformed() {
        for (String body : new String[] {"", "{\"site\": ", "{} {}", "nul", "{\"events\": [1, 2}"}) {
            assertTrue(read(body).malformed(), body);
        }
        assertFalse(read("[]").malformed());
    }

    @Test
    void fiftyOneEventsAreTooMany() throws Exception {
        String events = String.join(",", java.util.Collections.nCopies(51, pageview(ID, "2026-11-20T09:59:00Z")));
        BatchReader.Result r = read(batch(events));
        assertTrue(r.tooManyEvents());
    }

    @ParameterizedTest(name = "{1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            "x" | events[0] | must be an object
            {"event_id": "nope", "type": "pageview", "ts": "2026-11-20T09:59:00Z", "url": "https://shop.ru/"} | events[0].event_id | must be a UUID
            {"event_id": "0f8fad5b-d9cb-469f-a165-70867728950e", "type": "click", "ts": "2026-11-20T09:59:00Z"} | events[0].type | must be pageview, lead, identify or event
            {"event_id": "0f8fad5b-d9cb-469f-a165-70867728950e", "type": "pageview", "ts": "20.11.2026"} | events[0].ts | must be an RFC 3339 time
            {"event_id": "0f8fad5b-d9cb-469f-a165-70867728950e", "type": "pageview", "ts": "2026-11-16T09:59:00Z", "url": "https://shop.ru/"} | events[0].ts | is older than 72 hours
            {"event_id": "0f8fad5b-d9cb-469f-a165-70867728950e", "type": "pageview", "ts": "2026-11-20T11:00:00Z", "url": "https://shop.ru/"} | events[0].ts | is in the future
            {"event_id": "0f8fad5b-d9cb-469f-a165-70867728950e", "type": "pageview", "ts": "2026-11-20T09:59:00Z"} | events[0].url | is required for a page view
            {"event_id": "0f8fad5b-d9cb-469f-a165-70867728950e", "type": "pageview", "ts": "2026-11-20T09:59:00Z", "url": "javascript:x"} | events[0].url | must be an http(s) URL of at most 4096 characters
            {"event_id": "0f8fad5b-d9cb-469f-a165-70867728950e", "type": "identify", "ts": "2026-11-20T09:59:00Z", "fields": {"name": "Olga"}} | events[0].fields | identify needs an email, phone or user_id
            {"event_id": "0f8fad5b-d9cb-469f-a165-70867728950e", "type": "lead", "ts": "2026-11-20T09:59:00Z", "fields": []} | events[0].fields | must be an object
            {"event_id": "0f8fad5b-d9cb-469f-a165-70867728950e", "type": "lead", "ts": "2026-11-20T09:59:00Z", "fill_ms": -4} | events[0].fill_ms | must be a non-negative integer
            {"event_id": "0f8fad5b-d9cb-469f-a165-70867728950e", "type": "event", "ts": "2026-11-20T09:59:00Z"} | events[0].name | must be 1-64 letters, digits, spaces or _.:-
            {"event_id": "0f8fad5b-d9cb-469f-a165-70867728950e", "type": "event", "ts": "2026-11-20T09:59:00Z", "name": "buy", "props": {"a": {"b": 1}}} | events[0].props | property a must be a string of at most 500 characters, a number, a boolean or null
            """)
    void aBadEventIsRejectedWithItsReasonAndTheRestIsKept(String event, String field, String reason) throws Exception {
        BatchReader.Result r = read(batch(event + "," + pageview("7c9e6679-7425-40de-944b-e07fc1f90ae7", "2026-11-20T09:59:00Z")));
        assertFalse(r.badRequest());
        assertEquals(EventVerdict.Status.REJECTED, r.verdicts().get(0).status());
        assertEquals(field, r.verdicts().get(0).field());
        assertEquals(reason, r.verdicts().get(0).reason());
        assertEquals(EventVerdict.Status.ACCEPTED, r.verdicts().get(1).status());
        assertEquals(1, r.batch().events().size());
    }

    @Test
    void aRepeatedEventIdInOneBatchIsADuplicate() throws Exception {
        BatchReader.Result r = read(batch(pageview(ID, "2026-11-20T09:59:00Z") + "," + pageview(ID.toUpperCase(), "2026-11-20T09:59:00Z")));
        assertEquals(List.of(EventVerdict.Status.ACCEPTED, EventVerdict.Status.DUPLICATE), r.verdicts().stream().map(EventVerdict::status).toList());
    }

    @Test
    void eventTimesAreCorrectedForTheClientsClock() throws Exception {
        // The client's clock runs 2 hours fast: sent_at says 12:00Z while the server receives at 10:00Z.
        String json = "{\"site\": \"pk_abc\", \"visitor_id\": \"v-1234567890\", \"sent_at\": \"2026-11-20T12:00:00Z\", \"events\": ["
                + pageview(ID, "2026-11-20T11:59:30Z") + "]}";
        assertEquals(NOW.minus(Duration.ofSeconds(30)), read(json).batch().events().get(0).occurredAt());
    }

    @Test
    void unicodeAndContactsSurvive() throws Exception {
        String lead = "{\"event_id\": \"" + ID + "\", \"type\": \"lead\", \"ts\": \"2026-11-20T09:59:00Z\", \"url\": \"https://магазин.рф/заявка\","
                + " \"title\": \"Заявка 🚀\", \"form\": \"обратный звонок\", \"fill_ms\": 8000,"
                + " \"fields\": {\"email\": \" Olga@Mail.ru \", \"phone\": \"8 (912) 345-67-89\", \"name\": \"Ольга\"}}";
        CollectedBatch.Event e = read(batch(lead)).batch().events().get(0);
        assertEquals("Заявка 🚀", e.title());
        assertEquals(new CollectedBatch.Contacts("Olga@Mail.ru", "8 (912) 345-67-89", "Ольга", null), e.contacts());
        assertEquals(8000L, e.fillMs());
    }

    @Test
    void aMalformedGaCookieIsIgnoredNotFatal() throws Exception {
        String json = "{\"site\": \"pk_abc\", \"visitor_id\": \"v-1234567890\", \"ga_cookie\": \"<script>\", \"ym_uid\": \"1732400000123456789\","
                + " \"events\": [" + pageview(ID, "2026-11-20T09:59:00Z") + "]}";
        BatchReader.Result r = read(json);
        assertEquals(null, r.batch().gaCookie());
        assertEquals("1732400000123456789", r.batch().ymUid());
    }
}
