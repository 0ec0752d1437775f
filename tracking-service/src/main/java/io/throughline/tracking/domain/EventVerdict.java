package io.throughline.tracking.domain;

/** What became of one event of a batch; {@code field} and {@code reason} only for rejected ones. */
public record EventVerdict(String eventId, Status status, String field, String reason) {

    public enum Status {
        ACCEPTED, DUPLICATE, REJECTED;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static EventVerdict accepted(String eventId) {
        return new EventVerdict(eventId, Status.ACCEPTED, null, null);
    }

    public static EventVerdict duplicate(String eventId) {
        return new EventVerdict(eventId, Status.DUPLICATE, null, null);
    }

    public static EventVerdict rejected(String eventId, String field, String reason) {
        return new EventVerdict(eventId, Status.REJECTED, field, reason);
    }
}
