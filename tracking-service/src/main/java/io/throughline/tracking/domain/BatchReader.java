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
        if (!isSiteKey(raw.site)) {
            problems.add(new Violation("site", "must be the site's public key (pk_...)"));
        }
        if (!isVisitorId(raw.visitorId)) {
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
            EventRead read = event(raw.eventList.get(i), "events[" + i + "]", reference, receivedAt);
            if (read.event() == null) {
                verdicts.add(read.verdict());
            } else if (!seen.add(read.event().eventId())) {
                verdicts.add(EventVerdict.duplicate(read.event().eventId()));
            } else {
                verdicts.add(EventVerdict.accepted(read.event().eventId()));
                valid.add(read.event());
            }
        }
        CollectedBatch batch = new CollectedBatch(raw.site, raw.visitorId, raw.sentAt, raw.gaCookie != null && isGaCookie(raw.gaCookie)
                ? raw.gaCookie : null, raw.ymUid != null && isYmUid(raw.ymUid) ? raw.ymUid : null, client, valid);
        return new Result(batch, verdicts, List.of(), false, false);
    }

    private record EventRead(CollectedBatch.Event event, EventVerdict verdict) {
        static EventRead rejected(String id, String field, String reason) {
            return new EventRead(null, EventVerdict.rejected(id, field, reason));
        }
    }

    private static EventRead event(BatchJson.RawEvent e, String at, Instant reference, Instant receivedAt) {
        if (!e.object) {
            return EventRead.rejected(null, at, "must be an object");
        }
        String id = e.eventId;
        if (!isUuid(id)) {
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
        if (age.compareTo(MAX_AGE) > 0) {
            return EventRead.rejected(id, at + ".ts", "is older than " + MAX_AGE.toHours() + " hours");
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
        Instant utc = utcInstant(value);
        if (utc != null) {
            return utc;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * The form browsers send ({@code new Date().toISOString()}: 2026-11-24T10:00:05.120Z) read without a
     * DateTimeFormatter, which costs microseconds per call; anything else goes the general way.
     */
    private static Instant utcInstant(String v) {
        int n = v.length();
        if (n < 20 || v.charAt(n - 1) != 'Z' || v.charAt(4) != '-' || v.charAt(7) != '-' || v.charAt(10) != 'T'
                || v.charAt(13) != ':' || v.charAt(16) != ':') {
            return null;
        }
        int year = digits(v, 0, 4);
        int month = digits(v, 5, 7);
        int day = digits(v, 8, 10);
        int hour = digits(v, 11, 13);
        int minute = digits(v, 14, 16);
        int second = digits(v, 17, 19);
        int nanos = 0;
        if (n > 20) {
            if (v.charAt(19) != '.' || n - 21 > 9 || n - 21 < 1) {
                return null;
            }
            int fraction = digits(v, 20, n - 1);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction * (int) Math.pow(10, 9 - (n - 21));
        } else if (n != 20) {
            return null;
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59) {
            return null;
        }
        try {
            long days = java.time.LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(days * 86_400 + hour * 3600L + minute * 60L + second, nanos);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    private static int digits(String v, int from, int to) {
        int out = 0;
        for (int i = from; i < to; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            out = out * 10 + (c - '0');
        }
        return out;
    }

    /** GA1.2.1234567890.1732000000: "GA", then four dot-separated numbers of at most 20 digits. */
    static boolean isGaCookie(String s) {
        if (s.length() > 90 || !s.startsWith("GA")) {
            return false;
        }
        int parts = 1;
        int run = 0;
        for (int i = 2; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (run == 0) {
                    return false;
                }
                parts++;
                run = 0;
            } else if (c >= '0' && c <= '9' && ++run <= 20) {
                continue;
            } else {
                return false;
            }
        }
        return parts == 4 && run > 0;
    }

    static boolean isYmUid(String s) {
        if (s.length() < 6 || s.length() > 30) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    static boolean isSiteKey(String s) {
        if (s == null || s.length() < 4 || s.length() > 67 || !s.startsWith("pk_")) {
            return false;
        }
        for (int i = 3; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    static boolean isVisitorId(String s) {
        if (s == null || s.length() < 8 || s.length() > 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static final boolean[] HEX = new boolean[128];

    static {
        for (char c : "0123456789abcdefABCDEF".toCharArray()) {
            HEX[c] = true;
        }
    }

    static boolean isUuid(String s) {
        if (s == null || s.length() != 36 || s.charAt(8) != '-' || s.charAt(13) != '-' || s.charAt(18) != '-' || s.charAt(23) != '-') {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            if (c != '-' && (c >= 128 || !HEX[c])) {
                return false;
            }
        }
        return true;
    }
}
