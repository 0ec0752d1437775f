package io.throughline.reporting.domain.spend;

import java.util.List;

/** A parsed spend report: the rows to import, the rows refused with their reasons, and how many were read. */
public record SpendFile(List<SpendRow> rows, List<SpendRejection> rejected, int read) {
}
