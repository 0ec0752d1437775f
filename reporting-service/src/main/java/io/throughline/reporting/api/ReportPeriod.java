package io.throughline.reporting.api;

import io.throughline.commons.api.ProblemException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** A period of whole days, both ends included, as reports and listings take it: {@code from} and {@code to}. */
public record ReportPeriod(LocalDate from, LocalDate to) {

    public static ReportPeriod of(String from, String to, int maxDays) {
        LocalDate start = date("from", from);
        LocalDate end = date("to", to);
        if (end.isBefore(start)) {
            throw ProblemException.invalidField("to", "must not be before from");
        }
        if (ChronoUnit.DAYS.between(start, end) >= maxDays) {
            throw ProblemException.invalidField("to", "must be within " + maxDays + " days of from");
        }
        return new ReportPeriod(start, end);
    }

    static LocalDate date(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ProblemException.invalidField(field, "is required (YYYY-MM-DD)");
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(field, "must be a date such as 2026-11-01");
        }
    }

    public long days() {
        return ChronoUnit.DAYS.between(from, to) + 1;
    }
}
