package io.throughline.commons.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/** A page of a collection: {@code {"items": [...], "next_cursor": "..."}}; no cursor on the last page. */
public record Page<T>(List<T> items, String nextCursor) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 1000;

    /**
     * Builds a page from {@code limit + 1} fetched rows: the extra row only tells that there is a next page,
     * whose cursor is the key of the last returned row.
     */
    public static <R, T> Page<T> of(List<R> fetched, int limit, Function<R, String> key, Function<R, T> view) {
        boolean more = fetched.size() > limit;
        List<R> rows = more ? fetched.subList(0, limit) : fetched;
        String cursor = more ? encode(key.apply(rows.get(rows.size() - 1))) : null;
        return new Page<>(rows.stream().map(view).toList(), cursor);
    }

    /** The requested limit, checked against the conventions (1..1000, default 50). */
    public static int limit(Integer requested) {
        if (requested == null) {
            return DEFAULT_LIMIT;
        }
        if (requested < 1 || requested > MAX_LIMIT) {
            throw ProblemException.invalidField("limit", "must be between 1 and " + MAX_LIMIT);
        }
        return requested;
    }

    /** The key encoded in a cursor, or null for the first page. */
    public static String after(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("cursor", "is not a cursor this endpoint returned");
        }
    }

    /** A position in a collection ordered by a time and then an id (newest first), as the cursor of such pages. */
    public record TimeKey(java.time.Instant at, java.util.UUID id) {

        /** The key a row is paged by: {@code time_id}. */
        public static String of(java.time.Instant at, java.util.UUID id) {
            return at + "_" + id;
        }
    }

    /** The (time, id) position a cursor of {@link TimeKey#of} keys points after, or null for the first page. */
    public static TimeKey afterTime(String cursor) {
        String after = after(cursor);
        if (after == null) {
            return null;
        }
        try {
            String[] parts = after.split("_", 2);
            return new TimeKey(java.time.Instant.parse(parts[0]), java.util.UUID.fromString(parts[1]));
        } catch (RuntimeException e) {
            throw ProblemException.invalidField("cursor", "is not a cursor this endpoint returned");
        }
    }

    private static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }
}
