package io.throughline.tracking.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates a /collect batch field by field. A bad envelope (no site, no visitor, no events, too many events)
 * makes the whole request bad; a bad event is rejected with its reason and the rest of the batch is kept.
 */
public final class BatchReader {

    public static final int MAX_EVENTS = 50;
    /** Events queued in the browser (offline, retries) are accepted up to this age, as GA4 does. */
    public static final Duration MAX_AGE = Duration.ofHours(72);
    public static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(5);
    private static final Duration FUTURE_LIMIT = FUTURE_TOLERANCE.negated();
    static final int MAX_PROPS = 25;
    static final int MAX_TEXT = 500;

    private static final Pattern EVENT_NAME = Pattern.compile("[\\p{L}\\p{N}_.:\\- ]{1,64}");
    /** Contact fields of lead and identify events, with their longest accepted length. */
    private static final Map<String, Integer> CONTACT_FIELDS = Map.of("email", 254, "phone", 40, "name", 200, "user_id", 200);

    private BatchReader() {
    }

    /** The outcome: envelope problems (the request is bad), or the batch with a verdict per event. */
    public record Result(CollectedBatch batch, List<EventVerdict> verdicts, List<Violation> problems, boolean tooManyEvents,
            boolean malformed) {
        public boolean badRequest() {
            return !problems.isEmpty();
        }
    }

    /** Reads and validates a /collect body. */
    public static Result read(byte[] body, Instant receivedAt) {
        return read(body, receivedAt, MAX_AGE);
    }

    /**
     * Reads and validates a batch whose events may be up to {@code maxAge} old: the browser's 72 hours for
     * /collect, longer for an authenticated import of history.
     */
    public static Result read(byte[] body, Instant receivedAt, Duration maxAge) {
        BatchJson.RawBatch raw;
        try {
            raw = BatchJson.read(body, MAX_EVENTS);
        } catch (BatchJson.Malformed e) {
            return new Result(null, List.of(), List.of(new Violation("", "the body is not valid JSON")), false, true);
        }
        List<Violation> problems = new ArrayList<>();
        if (raw.root != BatchJson.Kind.EXPECTED) {
            return new Result(null, List.of(), List.of(new Violation("", "the body must be a JSON object")), false, false);
        }
        if (!FieldFormats.isSiteKey(raw.site)) {
            problems.add(new Violation("site", "must be the site's public key (pk_...)"));
        }
        if (!FieldFormats.isVisitorId(raw.visitorId)) {
            problems.add(new Violation("visitor_id", "must be 8-64 letters, digits, '.', '_' or '-'"));
        }
        Instant sentAt = null;
        if (raw.sentAtKind == BatchJson.Kind.EXPECTED) {
            sentAt = instant(raw.sentAt);
            if (sentAt == null) {
                problems.add(new Violation("sent_at", "must be an RFC 3339 time"));
            }
        }
        boolean tooMany = false;
        if (raw.events != BatchJson.Kind.EXPECTED || raw.eventCount == 0) {
            problems.add(new Violation("events", "must be a non-empty array"));
        } else if (raw.eventCount > MAX_EVENTS) {
            problems.add(new Violation("events", "at most " + MAX_EVENTS + " events per batch"));
            tooMany = true;
        }
        if (raw.client == BatchJson.Kind.OTHER) {
            problems.add(new Violation("client", "must be an object"));
        }
        if (!problems.isEmpty()) {
            return new Result(null, List.of(), problems, tooMany, false);
        }
        CollectedBatch.ClientInfo client = raw.client != BatchJson.Kind.EXPECTED ? null
                : new CollectedBatch.ClientInfo(raw.screenWidth, raw.screenHeight, truncate(raw.tz, 64), truncate(raw.lang, 35),
                        raw.webdriver, isProof(raw.proof) ? raw.proof : null);
        List<EventVerdict> verdicts = new ArrayList<>(raw.eventList.size());
        List<CollectedBatch.Event> valid = new ArrayList<>(raw.eventList.size());
        Set<String> seen = new HashSet<>();
        Instant reference = sentAt == null ? receivedAt : sentAt;
        for (int i = 0; i < raw.eventList.size(); i++) {
            EventRead read = event(raw.eventList.get(i), "events[" + i + "]", reference, receivedAt, maxAge);
            if (read.event() == null) {
                verdicts.add(read.verdict());
            } else if (!seen.add(read.event().eventId())) {
                verdicts.add(EventVerdict.duplicate(read.event().eventId()));
            } else {
                verdicts.add(EventVerdict.accepted(read.event().eventId()));
                valid.add(read.event());
            }
        }
        CollectedBatch batch = new CollectedBatch(raw.site, raw.visitorId, raw.sentAt, raw.gaCookie != null && FieldFormats.isGaCookie(raw.gaCookie)
                ? raw.gaCookie : null, raw.ymUid != null && FieldFormats.isYmUid(raw.ymUid) ? raw.ymUid : null, client, valid);
        return new Result(batch, verdicts, List.of(), false, false);
    }

    private record EventRead(CollectedBatch.Event event, EventVerdict verdict) {
        static EventRead rejected(String id, String field, String reason) {
            return new EventRead(null, EventVerdict.rejected(id, field, reason));
        }
    }

    private static EventRead event(BatchJson.RawEvent e, String at, Instant reference, Instant receivedAt, Duration maxAge) {
        if (!e.object) {
            return EventRead.rejected(null, at, "must be an object");
        }
        String id = e.eventId;
        if (!FieldFormats.isUuid(id)) {
            return EventRead.rejected(id, at + ".event_id", "must be a UUID");
        }
        id = id.toLowerCase(java.util.Locale.ROOT);
        EventType type = EventType.parse(e.type).orElse(null);
        if (type == null) {
            return EventRead.rejected(id, at + ".type", "must be pageview, lead, identify or event");
        }
        Instant ts = instant(e.ts);
        if (ts == null) {
            return EventRead.rejected(id, at + ".ts", "must be an RFC 3339 time");
        }
        Duration age = Duration.between(ts, reference);
        if (age.compareTo(maxAge) > 0) {
            return EventRead.rejected(id, at + ".ts", "is older than " + (maxAge.toHours() % 24 == 0 && maxAge.toDays() > 3
                    ? maxAge.toDays() + " days" : maxAge.toHours() + " hours"));
        }
        if (age.compareTo(FUTURE_LIMIT) < 0) {
            return EventRead.rejected(id, at + ".ts", "is in the future");
        }
        Instant occurred = age.isNegative() ? receivedAt : receivedAt.minus(age);
        String url = e.url;
        PageUrl page = null;
        if (url != null) {
            page = type == EventType.PAGEVIEW ? PageUrl.parse(url).orElse(null) : null;
            if (type == EventType.PAGEVIEW ? page == null : !PageUrl.isHttpUrl(url)) {
                return EventRead.rejected(id, at + ".url", "must be an http(s) URL of at most " + PageUrl.MAX_LENGTH + " characters");
            }
        }
        if (url == null && type == EventType.PAGEVIEW) {
            return EventRead.rejected(id, at + ".url", "is required for a page view");
        }
        String referrer = e.referrer;
        if (referrer != null && referrer.length() > PageUrl.MAX_LENGTH) {
            return EventRead.rejected(id, at + ".referrer", "at most " + PageUrl.MAX_LENGTH + " characters");
        }
        CollectedBatch.Contacts contacts = null;
        Long fillMs = null;
        String form = null;
        if (type.carriesContacts()) {
            if (e.fields == BatchJson.Kind.OTHER) {
                return EventRead.rejected(id, at + ".fields", "must be an object");
            }
            Map<String, String> typed = new java.util.HashMap<>();
            for (Map.Entry<String, Integer> field : CONTACT_FIELDS.entrySet()) {
                String value = e.contacts.get(field.getKey());
                value = value == null || value.isBlank() ? null : value.strip();
                if (value != null && value.length() > field.getValue()) {
                    return EventRead.rejected(id, at + ".fields." + field.getKey(), "at most " + field.getValue() + " characters");
                }
                typed.put(field.getKey(), value);
            }
            String email = typed.get("email");
            String phone = typed.get("phone");
            String userId = typed.get("user_id");
            contacts = new CollectedBatch.Contacts(email, phone, typed.get("name"), userId);
            if (type == EventType.IDENTIFY && email == null && phone == null && userId == null) {
                return EventRead.rejected(id, at + ".fields", "identify needs an email, phone or user_id");
            }
            if (e.fillMs == BatchJson.Kind.OTHER) {
                return EventRead.rejected(id, at + ".fill_ms", "must be a non-negative integer");
            }
            fillMs = e.fillMs == BatchJson.Kind.EXPECTED ? e.fillValue : null;
            form = truncate(e.form, 200);
        }
        String name = null;
        Map<String, Object> props = Map.of();
        if (type == EventType.EVENT) {
            name = e.name;
            if (name == null || !EVENT_NAME.matcher(name).matches()) {
                return EventRead.rejected(id, at + ".name", "must be 1-64 letters, digits, spaces or _.:-");
            }
            if (e.props == BatchJson.Kind.OTHER) {
                return EventRead.rejected(id, at + ".props", "must be an object");
            }
            if (e.props == BatchJson.Kind.EXPECTED) {
                if (e.propsProblem != null) {
                    return EventRead.rejected(id, at + ".props", e.propsProblem);
                }
                props = e.propValues;
            }
        }
        return new EventRead(new CollectedBatch.Event(id, type, occurred, url, page, referrer, truncate(e.title, 300), form,
                contacts, fillMs, e.honeypot, name, props), null);
    }

    private static boolean isProof(String proof) {
        if (proof == null || proof.length() != 8) {
            return false;
        }
        for (int i = 0; i < 8; i++) {
            char c = proof.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    static Instant instant(String value) {
        if (value == null || value.length() > 40) {
            return null;
        }
        Instant utc = FieldFormats.utcInstant(value);
        if (utc != null) {
            return utc;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
