package io.throughline.tracking.domain;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a /collect body with Jackson's streaming parser straight into plain holders, without building a JSON
 * tree: the collector reads every batch, and the tree was a fifth of its cost. Values of the wrong JSON type read
 * as absent (the validator names them); unknown keys are skipped. {@link BatchReader} validates what this reads.
 */
final class BatchJson {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    /** How a value was present: absent, JSON null, of the expected kind, or of another kind. */
    enum Kind { ABSENT, NULL, EXPECTED, OTHER }

    /** The body is not JSON (or is cut off). */
    static final class Malformed extends Exception {
        Malformed() {
            super(null, null, false, false);
        }
    }

    static final class RawBatch {
        Kind root = Kind.ABSENT;
        String site;
        String visitorId;
        Kind sentAtKind = Kind.ABSENT;
        String sentAt;
        String gaCookie;
        String ymUid;
        Kind client = Kind.ABSENT;
        Integer screenWidth;
        Integer screenHeight;
        String tz;
        String lang;
        boolean webdriver;
        String proof;
        Kind events = Kind.ABSENT;
        int eventCount;
        final List<RawEvent> eventList = new ArrayList<>();
    }

    static final class RawEvent {
        boolean object;
        String eventId;
        String type;
        String ts;
        String url;
        String referrer;
        String title;
        String form;
        String name;
        Kind fields = Kind.ABSENT;
        final Map<String, String> contacts = new LinkedHashMap<>(8);
        Kind fillMs = Kind.ABSENT;
        long fillValue;
        boolean honeypot;
        Kind props = Kind.ABSENT;
        Map<String, Object> propValues;
        String propsProblem;
    }

    private BatchJson() {
    }

    static RawBatch read(byte[] body, int maxEvents) throws Malformed {
        RawBatch batch = new RawBatch();
        try (JsonParser p = FACTORY.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new Malformed();
            }
            if (first != JsonToken.START_OBJECT) {
                batch.root = Kind.OTHER;
                p.skipChildren();
                requireEnd(p);
                return batch;
            }
            batch.root = Kind.EXPECTED;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "site" -> batch.site = text(p, value);
                    case "visitor_id" -> batch.visitorId = text(p, value);
                    case "sent_at" -> {
                        batch.sentAtKind = value == JsonToken.VALUE_NULL ? Kind.NULL : Kind.EXPECTED;
                        batch.sentAt = text(p, value);
                    }
                    case "ga_cookie" -> batch.gaCookie = text(p, value);
                    case "ym_uid" -> batch.ymUid = text(p, value);
                    case "client" -> client(p, value, batch);
                    case "events" -> events(p, value, batch, maxEvents);
                    default -> p.skipChildren();
                }
            }
            requireEnd(p);
            return batch;
        } catch (IOException e) {
            throw new Malformed();
        }
    }

    private static void requireEnd(JsonParser p) throws IOException, Malformed {
        if (p.nextToken() != null) {
            throw new Malformed();
        }
    }

    private static void events(JsonParser p, JsonToken value, RawBatch batch, int maxEvents) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            batch.events = value == JsonToken.VALUE_NULL ? Kind.NULL : Kind.OTHER;
            p.skipChildren();
            return;
        }
        batch.events = Kind.EXPECTED;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == null) {
                throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected end");
            }
            batch.eventCount++;
            if (batch.eventCount > maxEvents) {
                p.skipChildren();
                continue;
            }
            RawEvent e = new RawEvent();
            batch.eventList.add(e);
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            e.object = true;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "event_id" -> e.eventId = text(p, v);
                    case "type" -> e.type = text(p, v);
                    case "ts" -> e.ts = text(p, v);
                    case "url" -> e.url = text(p, v);
                    case "referrer" -> e.referrer = text(p, v);
                    case "title" -> e.title = text(p, v);
                    case "form" -> e.form = text(p, v);
                    case "name" -> e.name = text(p, v);
                    case "honeypot" -> e.honeypot = bool(p, v);
                    case "fill_ms" -> fillMs(p, v, e);
                    case "fields" -> fields(p, v, e);
                    case "props" -> props(p, v, e);
                    default -> p.skipChildren();
                }
            }
        }
    }

    private static void fields(JsonParser p, JsonToken v, RawEvent e) throws IOException {
        if (v != JsonToken.START_OBJECT) {
            e.fields = v == JsonToken.VALUE_NULL ? Kind.NULL : Kind.OTHER;
            p.skipChildren();
            return;
        }
        e.fields = Kind.EXPECTED;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            String value = text(p, p.nextToken());
            if (value != null) {
                e.contacts.put(key, value);
            }
        }
    }

    private static void fillMs(JsonParser p, JsonToken v, RawEvent e) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            e.fillMs = Kind.NULL;
        } else if ((v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) && p.getDoubleValue() >= 0
                && p.getDoubleValue() <= Long.MAX_VALUE) {
            e.fillMs = Kind.EXPECTED;
            e.fillValue = (long) p.getDoubleValue();
        } else {
            e.fillMs = Kind.OTHER;
            p.skipChildren();
        }
    }

    private static void props(JsonParser p, JsonToken v, RawEvent e) throws IOException {
        if (v != JsonToken.START_OBJECT) {
            e.props = v == JsonToken.VALUE_NULL ? Kind.NULL : Kind.OTHER;
            p.skipChildren();
            return;
        }
        e.props = Kind.EXPECTED;
        e.propValues = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken t = p.nextToken();
            Object value;
            boolean ok = true;
            switch (t) {
                case VALUE_NULL -> value = null;
                case VALUE_TRUE, VALUE_FALSE -> value = t == JsonToken.VALUE_TRUE;
                case VALUE_NUMBER_INT -> value = p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? (Object) p.getDoubleValue()
                        : (Object) p.getLongValue();
                case VALUE_NUMBER_FLOAT -> value = p.getDoubleValue();
                case VALUE_STRING -> {
                    value = p.getText();
                    ok = ((String) value).length() <= BatchReader.MAX_TEXT;
                }
                default -> {
                    value = null;
                    ok = false;
                    p.skipChildren();
                }
            }
            if (e.propsProblem == null) {
                if (key.isEmpty() || key.length() > 64) {
                    e.propsProblem = "property names must be 1-64 characters";
                } else if (!ok) {
                    e.propsProblem = "property " + key + " must be a string of at most " + BatchReader.MAX_TEXT
                            + " characters, a number, a boolean or null";
                }
            }
            e.propValues.put(key, value);
        }
        if (e.propsProblem == null && e.propValues.size() > BatchReader.MAX_PROPS) {
            e.propsProblem = "at most " + BatchReader.MAX_PROPS + " properties";
        }
    }

    private static void client(JsonParser p, JsonToken value, RawBatch batch) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            batch.client = value == JsonToken.VALUE_NULL ? Kind.NULL : Kind.OTHER;
            p.skipChildren();
            return;
        }
        batch.client = Kind.EXPECTED;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "screen_width" -> batch.screenWidth = smallInt(p, v);
                case "screen_height" -> batch.screenHeight = smallInt(p, v);
                case "tz" -> batch.tz = text(p, v);
                case "lang" -> batch.lang = text(p, v);
                case "webdriver" -> batch.webdriver = bool(p, v);
                case "proof" -> batch.proof = text(p, v);
                default -> p.skipChildren();
            }
        }
    }

    private static Integer smallInt(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
            double d = p.getDoubleValue();
            return d >= 0 && d <= 100_000 ? (int) d : null;
        }
        p.skipChildren();
        return null;
    }

    private static boolean bool(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_TRUE) {
            return true;
        }
        if (v == JsonToken.VALUE_STRING) {
            return "true".equals(p.getText());
        }
        p.skipChildren();
        return false;
    }

    /** A string value, or null (after skipping) for any other kind of value. */
    private static String text(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        p.skipChildren();
        return null;
    }
}
