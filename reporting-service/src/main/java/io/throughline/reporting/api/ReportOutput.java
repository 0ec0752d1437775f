package io.throughline.reporting.api;

import java.util.List;
import java.util.Map;

/** A computed report: its columns, its rows (values by column), the totals row, and what it is about (meta). */
record ReportOutput(ReportTable table, List<Map<String, Object>> rows, Map<String, Object> totals, Map<String, Object> meta, String defaultSort) {
}
