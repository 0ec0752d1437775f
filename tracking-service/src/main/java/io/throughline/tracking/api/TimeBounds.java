package io.throughline.tracking.api;

import io.throughline.commons.api.ProblemException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/** The {@code from} / {@code to} of an explorer: RFC 3339 times, or dates in {@code tz} (default Europe/Moscow); to is exclusive for times, inclusive for dates. */
record TimeBounds(Instant from, Instant to) {

    static final String DEFAULT_TZ = "Europe/Moscow";

    static TimeBounds parse(String from, String to, String tz) {
        ZoneId zone;
        try {
            zone = ZoneId.of(tz == null || tz.isBlank() ? DEFAULT_TZ : tz);
        } catch (DateTimeException e) {
            throw ProblemException.invalidField("tz", "must be an IANA time zone such as Europe/Moscow");
        }
        Instant start = bound("from", from, zone, false);
        Instant end = bound("to", to, zone, true);
        if (start != null && end != null && !start.isBefore(end)) {
            throw ProblemException.invalidField("to", "must be after from");
        }
        return new TimeBounds(start, end);
    }

    private static Instant bound(String field, String value, ZoneId zone, boolean end) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                return (end ? day.plusDays(1) : day).atStartOfDay(zone).toInstant();
            }
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(field, "must be a date (2026-11-24) or an RFC 3339 time");
        }
    }
}
