package io.throughline.tracking.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
    static final int MAX_PROPS = 25;
    static final int MAX_TEXT = 500;

    private static final Pattern SITE_KEY = Pattern.compile("pk_[a-z0-9]{1,64}");
    private static final Pattern VISITOR = Pattern.compile("[A-Za-z0-9._-]{8,64}");
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern EVENT_NAME = Pattern.compile("[\\p{L}\\p{N}_.:\\- ]{1,64}");
    private static final Pattern PROOF = Pattern.compile("[0-9a-f]{8}");
    private static final Pattern GA_COOKIE = Pattern.compile("GA\\d\\.\\d+\\.\\d{1,20}\\.\\d{1,20}");
    private static final Pattern YM_UID = Pattern.compile("\\d{6,30}");
    /** Contact fields of lead and identify events, with their longest accepted length. */
    private static final Map<String, Integer> CONTACT_FIELDS = Map.of("email", 254, "phone", 40, "name", 200, "user_id", 200);

    private BatchReader() {
    }

    /** The outcome: envelope problems (the request is bad), or the batch with a verdict per event. */
    public record Result(CollectedBatch batch, List<EventVerdict> verdicts, List<Violation> problems, boolean tooManyEvents) {
        public boolean badRequest() {
            return !problems.isEmpty();
        }
    }

    public static Result read(JsonNode root, Instant receivedAt) {
        List<Violation> problems = new ArrayList<>();
        if (root == null || !root.isObject()) {
            return new Result(null, List.of(), List.of(new Violation("", "the body must be a JSON object")), false);
        }
        String site = text(root, "site");
        if (site == null || !SITE_KEY.matcher(site).matches()) {
            problems.add(new Violation("site", "must be the site's public key (pk_...)"));
        }
        String visitor = text(root, "visitor_id");
        if (visitor == null || !VISITOR.matcher(visitor).matches()) {
            problems.add(new Violation("visitor_id", "must be 8-64 letters, digits, '.', '_' or '-'"));
        }
        String sentAtRaw = text(root, "sent_at");
        Instant sentAt = null;
        if (root.has("sent_at") && !root.get("sent_at").isNull()) {
            sentAt = instant(sentAtRaw);
            if (sentAt == null) {
                problems.add(new Violation("sent_at", "must be an RFC 3339 time"));
            }
        }
        JsonNode events = root.get("events");
        boolean tooMany = false;
        if (events == null || !events.isArray() || events.isEmpty()) {
            problems.add(new Violation("events", "must be a non-empty array"));
        } else if (events.size() > MAX_EVENTS) {
            problems.add(new Violation("events", "at most " + MAX_EVENTS + " events per batch"));
            tooMany = true;
        }
        CollectedBatch.ClientInfo client = client(root.get("client"), problems);
        if (!problems.isEmpty()) {
            return new Result(null, List.of(), problems, tooMany);
        }
        String ga = text(root, "ga_cookie");
        String ym = text(root, "ym_uid");
        List<EventVerdict> verdicts = new ArrayList<>();
        List<CollectedBatch.Event> valid = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Instant reference = sentAt == null ? receivedAt : sentAt;
        for (int i = 0; i < events.size(); i++) {
            EventRead read = event(events.get(i), "events[" + i + "]", reference, receivedAt);
            if (read.event() == null) {
                verdicts.add(read.verdict());
            } else if (!seen.add(read.event().eventId())) {
                verdicts.add(EventVerdict.duplicate(read.event().eventId()));
            } else {
                verdicts.add(EventVerdict.accepted(read.event().eventId()));
                valid.add(read.event());
            }
        }
        CollectedBatch batch = new CollectedBatch(site, visitor, sentAtRaw, ga != null && GA_COOKIE.matcher(ga).matches() ? ga : null,
                ym != null && YM_UID.matcher(ym).matches() ? ym : null, client, valid);
        return new Result(batch, verdicts, List.of(), false);
    }

    private record EventRead(CollectedBatch.Event event, EventVerdict verdict) {
        static EventRead rejected(String id, String field, String reason) {
            return new EventRead(null, EventVerdict.rejected(id, field, reason));
        }
    }

    private static EventRead event(JsonNode e, String at, Instant reference, Instant receivedAt) {
        if (e == null || !e.isObject()) {
            return EventRead.rejected(null, at, "must be an object");
        }
        String id = text(e, "event_id");
        if (id == null || !UUID_TEXT.matcher(id).matches()) {
            return EventRead.rejected(id, at + ".event_id", "must be a UUID");
        }
        id = id.toLowerCase(java.util.Locale.ROOT);
        EventType type = EventType.parse(text(e, "type")).orElse(null);
        if (type == null) {
            return EventRead.rejected(id, at + ".type", "must be pageview, lead, identify or event");
        }
        Instant ts = instant(text(e, "ts"));
        if (ts == null) {
            return EventRead.rejected(id, at + ".ts", "must be an RFC 3339 time");
        }
        Duration age = Duration.between(ts, reference);
        if (age.compareTo(MAX_AGE) > 0) {
            return EventRead.rejected(id, at + ".ts", "is older than " + MAX_AGE.toHours() + " hours");
        }
        if (age.compareTo(FUTURE_TOLERANCE.negated()) < 0) {
            return EventRead.rejected(id, at + ".ts", "is in the future");
        }
        Instant occurred = age.isNegative() ? receivedAt : receivedAt.minus(age);
        String url = text(e, "url");
        if (url != null && PageUrl.parse(url).isEmpty()) {
            return EventRead.rejected(id, at + ".url", "must be an http(s) URL of at most " + PageUrl.MAX_LENGTH + " characters");
        }
        if (url == null && type == EventType.PAGEVIEW) {
            return EventRead.rejected(id, at + ".url", "is required for a page view");
        }
        String referrer = text(e, "referrer");
        if (referrer != null && referrer.length() > PageUrl.MAX_LENGTH) {
            return EventRead.rejected(id, at + ".referrer", "at most " + PageUrl.MAX_LENGTH + " characters");
        }
        CollectedBatch.Contacts contacts = null;
        Long fillMs = null;
        String form = null;
        if (type.carriesContacts()) {
            JsonNode fields = e.get("fields");
            if (fields != null && !fields.isNull() && !fields.isObject()) {
                return EventRead.rejected(id, at + ".fields", "must be an object");
            }
            Map<String, String> typed = new java.util.HashMap<>();
            for (Map.Entry<String, Integer> field : CONTACT_FIELDS.entrySet()) {
                String value = fields == null ? null : text(fields, field.getKey());
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
            JsonNode fill = e.get("fill_ms");
            if (fill != null && !fill.isNull()) {
                if (!fill.canConvertToLong() || fill.asLong() < 0) {
                    return EventRead.rejected(id, at + ".fill_ms", "must be a non-negative integer");
                }
                fillMs = fill.asLong();
            }
            form = truncate(text(e, "form"), 200);
        }
        String name = null;
        Map<String, Object> props = Map.of();
        if (type == EventType.EVENT) {
            name = text(e, "name");
            if (name == null || !EVENT_NAME.matcher(name).matches()) {
                return EventRead.rejected(id, at + ".name", "must be 1-64 letters, digits, spaces or _.:-");
            }
            JsonNode p = e.get("props");
            if (p != null && !p.isNull()) {
                String problem = propsProblem(p);
                if (problem != null) {
                    return EventRead.rejected(id, at + ".props", problem);
                }
                props = props(p);
            }
        }
        boolean honeypot = e.path("honeypot").asBoolean(false);
        return new EventRead(new CollectedBatch.Event(id, type, occurred, url, referrer, truncate(text(e, "title"), 300), form,
                contacts, fillMs, honeypot, name, props), null);
    }

    private static CollectedBatch.ClientInfo client(JsonNode c, List<Violation> problems) {
        if (c == null || c.isNull()) {
            return null;
        }
        if (!c.isObject()) {
            problems.add(new Violation("client", "must be an object"));
            return null;
        }
        String proof = text(c, "proof");
        if (proof != null && !PROOF.matcher(proof).matches()) {
            proof = null;
        }
        return new CollectedBatch.ClientInfo(smallInt(c.get("screen_width")), smallInt(c.get("screen_height")),
                truncate(text(c, "tz"), 64), truncate(text(c, "lang"), 35), c.path("webdriver").asBoolean(false), proof);
    }

    private static String propsProblem(JsonNode p) {
        if (!p.isObject()) {
            return "must be an object";
        }
        if (p.size() > MAX_PROPS) {
            return "at most " + MAX_PROPS + " properties";
        }
        for (Map.Entry<String, JsonNode> prop : p.properties()) {
            JsonNode v = prop.getValue();
            if (prop.getKey().isEmpty() || prop.getKey().length() > 64) {
                return "property names must be 1-64 characters";
            }
            if (!(v.isNull() || v.isBoolean() || v.isNumber() || (v.isTextual() && v.asText().length() <= MAX_TEXT))) {
                return "property " + prop.getKey() + " must be a string of at most " + MAX_TEXT + " characters, a number, a boolean or null";
            }
        }
        return null;
    }

    private static Map<String, Object> props(JsonNode p) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> prop : p.properties()) {
            JsonNode v = prop.getValue();
            out.put(prop.getKey(), v.isNull() ? null : v.isBoolean() ? (Object) v.asBoolean() : v.isIntegralNumber() ? (Object) v.asLong()
                    : v.isNumber() ? (Object) v.asDouble() : v.asText());
        }
        return out;
    }

    private static Integer smallInt(JsonNode n) {
        return n != null && n.canConvertToInt() && n.asInt() >= 0 && n.asInt() <= 100_000 ? n.asInt() : null;
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    static Instant instant(String value) {
        if (value == null || value.length() > 40) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
