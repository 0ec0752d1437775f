package io.throughline.reporting.domain.spend;

/** A row that was not imported: where it was (file line, or the record's position in a JSON report), which field, why. */
public record SpendRejection(int line, String field, String reason) {
}
