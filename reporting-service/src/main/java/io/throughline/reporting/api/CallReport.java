package io.throughline.reporting.api;

import io.throughline.reporting.domain.metrics.Figure;
import io.throughline.reporting.domain.metrics.Formulas;
import io.throughline.reporting.store.ReportQueries;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Calls by channel and campaign (the matched session's keys; "(unmatched)" otherwise): target, unique, missed, called back. */
@ApplicationScoped
class CallReport {

    private final ReportQueries queries;

    CallReport(ReportQueries queries) {
        this.queries = queries;
    }

    ReportOutput build(ReportContext ctx) {
        RowSums sums = new RowSums();
        sums.add(ctx, ctx.cells(queries, ReportQueries.CALLS, ctx.filter(""), ctx.groupBy), ReportQueries.CALLS);
        List<Map<String, Object>> rows = new ArrayList<>();
        sums.rows().forEach((keys, s) -> rows.add(row(ctx, keys, s)));
        List<ReportTable.Column> columns = new ArrayList<>();
        ctx.groupBy.forEach(k -> columns.add(ReportTable.key(k)));
        columns.addAll(List.of(ReportTable.count("calls", "all calls (inbound and outbound)"), ReportTable.count("inbound_calls", "inbound calls"),
                ReportTable.count("answered_calls", "answered"), ReportTable.count("target_calls", "target calls (the workspace's rules)"),
                ReportTable.count("unique_calls", "callers' first calls within the unique window"), ReportTable.count("missed_calls", "missed inbound calls"),
                ReportTable.count("called_back", "missed calls an answered callback followed"),
                ReportTable.count("not_called_back", "missed calls nobody called back"), ReportTable.count("spam_calls", "judged spam"),
                ReportTable.count("unmatched_calls", "inbound calls no session or static number explains"),
                ReportTable.percent("target_share_pct", "target / inbound x 100"), ReportTable.percent("callback_rate_pct", "called back / missed x 100"),
                ReportTable.decimal("average_talk_seconds", "talk seconds / answered calls")));
        return new ReportOutput(new ReportTable(columns, ctx.currencyDigits()), rows, row(ctx, ctx.groupBy.stream().map(k -> "(all)").toList(),
                sums.totals()), ChannelReport.meta(ctx, "calls"), "-inbound_calls");
    }

    private static Map<String, Object> row(ReportContext ctx, List<String> keys, Map<String, BigDecimal> s) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < ctx.groupBy.size(); i++) {
            row.put(ctx.groupBy.get(i), keys.get(i));
        }
        for (String m : List.of("calls", "inbound_calls", "answered_calls", "target_calls", "unique_calls", "missed_calls", "called_back", "spam_calls",
                "unmatched_calls")) {
            row.put(m, RowSums.get(s, m));
        }
        row.put("not_called_back", RowSums.get(s, "missed_calls").subtract(RowSums.get(s, "called_back")));
        row.put("target_share_pct", Formulas.percent(RowSums.get(s, "target_calls"), RowSums.get(s, "inbound_calls"), "no inbound calls"));
        row.put("callback_rate_pct", Formulas.percent(RowSums.get(s, "called_back"), RowSums.get(s, "missed_calls"), "no missed calls"));
        BigDecimal answered = RowSums.get(s, "answered_calls");
        row.put("average_talk_seconds", answered.signum() == 0 ? Figure.none("no answered calls")
                : Figure.of(RowSums.get(s, "talk_seconds").divide(answered, 2, RoundingMode.HALF_EVEN)));
        return row;
    }
}
