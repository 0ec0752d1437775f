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

/**
 * The funnel of the deals created in the period, by the keys of the touch that created each lead: deals that reached
 * each canonical stage (a deal counts in every stage up to the furthest it reached), stage-to-stage conversion, the
 * average days spent in a stage before the next one, lost deals; and, apart, losses by reason.
 */
@ApplicationScoped
class FunnelReport {

    static final List<String> STAGES = List.of("lead", "qualified", "proposal", "invoice", "won", "paid");

    private final ReportQueries queries;

    FunnelReport(ReportQueries queries) {
        this.queries = queries;
    }

    ReportOutput stages(ReportContext ctx) {
        Map<List<String>, Map<String, BigDecimal[]>> byRow = new LinkedHashMap<>();
        Map<String, BigDecimal[]> totals = new LinkedHashMap<>();
        for (ReportQueries.FunnelCell c : queries.funnel(ctx.tenantId, ctx.filter(""), ctx.groupBy)) {
            add(byRow.computeIfAbsent(c.keys(), k -> new LinkedHashMap<>()), c);
            add(totals, c);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        byRow.forEach((keys, s) -> rows.add(row(ctx, keys, s)));
        List<ReportTable.Column> columns = new ArrayList<>();
        ctx.groupBy.forEach(k -> columns.add(ReportTable.key(k)));
        for (String s : STAGES) {
            columns.add(ReportTable.count(s, "deals created in the period that reached " + s));
        }
        columns.add(ReportTable.count("lost", "of them lost"));
        for (int i = 0; i + 1 < STAGES.size(); i++) {
            columns.add(ReportTable.percent(STAGES.get(i) + "_to_" + STAGES.get(i + 1) + "_pct", STAGES.get(i + 1) + " / " + STAGES.get(i) + " x 100"));
        }
        columns.add(ReportTable.percent("lead_to_paid_pct", "paid / lead x 100"));
        for (String s : STAGES.subList(0, STAGES.size() - 1)) {
            columns.add(ReportTable.decimal("days_in_" + s, "average days a deal spent in " + s + " before entering another stage"));
        }
        Map<String, Object> meta = ChannelReport.meta(ctx, "funnel");
        meta.put("deals", "created in the period; keys are the lead-creation touch of the default series");
        return new ReportOutput(new ReportTable(columns, ctx.currencyDigits()), rows, row(ctx, ctx.groupBy.stream().map(k -> "(all)").toList(), totals),
                meta, "-lead");
    }

    ReportOutput losses(ReportContext ctx) {
        Map<List<String>, BigDecimal> lost = new LinkedHashMap<>();
        Map<List<String>, BigDecimal> created = new LinkedHashMap<>();
        for (ReportQueries.FunnelCell c : queries.funnel(ctx.tenantId, ctx.filter(""), ctx.groupBy)) {
            if (c.stage().equals("lost")) {
                List<String> key = new ArrayList<>(c.keys());
                key.add(c.lossReason().isEmpty() ? "(no reason)" : c.lossReason());
                lost.merge(key, c.deals(), BigDecimal::add);
            } else if (c.stage().equals("lead")) {
                created.merge(c.keys(), c.deals(), BigDecimal::add);
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        BigDecimal all = BigDecimal.ZERO;
        for (Map.Entry<List<String>, BigDecimal> e : lost.entrySet()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < ctx.groupBy.size(); i++) {
                row.put(ctx.groupBy.get(i), e.getKey().get(i));
            }
            row.put("loss_reason", e.getKey().get(ctx.groupBy.size()));
            row.put("lost", e.getValue());
            row.put("of_created_pct", Formulas.percent(e.getValue(), created.getOrDefault(e.getKey().subList(0, ctx.groupBy.size()), BigDecimal.ZERO),
                    "no deals created"));
            rows.add(row);
            all = all.add(e.getValue());
        }
        List<ReportTable.Column> columns = new ArrayList<>();
        ctx.groupBy.forEach(k -> columns.add(ReportTable.key(k)));
        columns.add(ReportTable.key("loss_reason"));
        columns.add(ReportTable.count("lost", "deals created in the period and lost for this reason"));
        columns.add(ReportTable.percent("of_created_pct", "lost / deals created with these keys x 100"));
        Map<String, Object> totals = new LinkedHashMap<>();
        ctx.groupBy.forEach(k -> totals.put(k, "(all)"));
        totals.put("loss_reason", "(all)");
        totals.put("lost", all);
        totals.put("of_created_pct", Formulas.percent(all, created.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add), "no deals created"));
        return new ReportOutput(new ReportTable(columns, ctx.currencyDigits()), rows, totals, ChannelReport.meta(ctx, "funnel-losses"), "-lost");
    }

    private static void add(Map<String, BigDecimal[]> s, ReportQueries.FunnelCell c) {
        BigDecimal[] v = s.computeIfAbsent(c.stage(), k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
        v[0] = v[0].add(c.deals());
        v[1] = v[1].add(c.stageSeconds());
        v[2] = v[2].add(c.stageExits());
    }

    private static Map<String, Object> row(ReportContext ctx, List<String> keys, Map<String, BigDecimal[]> s) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < ctx.groupBy.size(); i++) {
            row.put(ctx.groupBy.get(i), keys.get(i));
        }
        for (String stage : STAGES) {
            row.put(stage, deals(s, stage));
        }
        row.put("lost", deals(s, "lost"));
        for (int i = 0; i + 1 < STAGES.size(); i++) {
            row.put(STAGES.get(i) + "_to_" + STAGES.get(i + 1) + "_pct", Formulas.conversion(deals(s, STAGES.get(i + 1)), deals(s, STAGES.get(i))));
        }
        row.put("lead_to_paid_pct", Formulas.conversion(deals(s, "paid"), deals(s, "lead")));
        for (String stage : STAGES.subList(0, STAGES.size() - 1)) {
            BigDecimal[] v = s.get(stage);
            row.put("days_in_" + stage, v == null || v[2].signum() == 0 ? Figure.none("no deal left " + stage + " yet")
                    : Figure.of(v[1].divide(v[2].multiply(BigDecimal.valueOf(86_400)), 2, RoundingMode.HALF_EVEN)));
        }
        return row;
    }

    private static BigDecimal deals(Map<String, BigDecimal[]> s, String stage) {
        BigDecimal[] v = s.get(stage);
        return v == null ? BigDecimal.ZERO : v[0];
    }
}
