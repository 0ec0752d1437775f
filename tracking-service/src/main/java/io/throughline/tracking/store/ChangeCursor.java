package io.throughline.tracking.store;

/**
 * A position in a feed ordered by a time, then the document's key: a change feed (contacts, sessions by change time) or a
 * streamed answer (sessions by start, resumed from a page token).
 */
public record ChangeCursor(long changedAtMillis, String id) {

    public static final ChangeCursor START = new ChangeCursor(0, "");

    public String encode() {
        return changedAtMillis + "|" + id;
    }

    public static ChangeCursor decode(String value) {
        if (value == null || value.isBlank()) {
            return START;
        }
        int bar = value.indexOf('|');
        if (bar < 0) {
            throw new IllegalArgumentException("not a change cursor");
        }
        try {
            return new ChangeCursor(Long.parseLong(value.substring(0, bar)), value.substring(bar + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a change cursor");
        }
    }

    /** Documents changed after this position and before {@code before} (a reader stays behind concurrent writes). */
    public org.bson.conversions.Bson after(java.util.Date before) {
        return com.mongodb.client.model.Filters.and(com.mongodb.client.model.Filters.lt("changed_at", before), past("changed_at"));
    }

    /** Documents that come after this position in the order of {@code field}, then {@code _id}. */
    public org.bson.conversions.Bson past(String field) {
        java.util.Date at = new java.util.Date(changedAtMillis);
        return com.mongodb.client.model.Filters.or(com.mongodb.client.model.Filters.gt(field, at),
                com.mongodb.client.model.Filters.and(com.mongodb.client.model.Filters.eq(field, at), com.mongodb.client.model.Filters.gt("_id", id)));
    }
}
