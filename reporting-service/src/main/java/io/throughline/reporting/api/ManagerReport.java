package io.throughline.reporting.api;

import io.throughline.reporting.domain.metrics.Figure;
import io.throughline.reporting.domain.metrics.Formulas;
import io.throughline.reporting.domain.facts.DealContributions;
import io.throughline.reporting.store.ReportQueries;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Managers (metrics.md): of the deals created in the period, how many each manager responded to and how fast (the
 * first stage change after creation), won, had paid, the cycle from creation to the first payment, the share closed
 * after at most two touches; and the money their deals received in the period.
 */
@ApplicationScoped
class ManagerReport {

    private final ReportQueries queries;

    ManagerReport(ReportQueries queries) {
        this.queries = queries;
    }

    ReportOutput build(ReportContext ctx) {
        Map<String, Map<String, BigDecimal>> byManager = new TreeMap<>();
        Map<String, BigDecimal> totals = new LinkedHashMap<>();
        for (ReportQueries.ManagerCell c : queries.managers(ctx.tenantId, ctx.filter(""))) {
            c.measures().forEach((k, v) -> {
                byManager.computeIfAbsent(c.manager(), m -> new LinkedHashMap<>()).merge(k, v, BigDecimal::add);
                totals.merge(k, v, BigDecimal::add);
            });
        }
        for (ReportQueries.ManagerMoney m : queries.managerRevenue(ctx.tenantId, ctx.filter(""), ctx.settings.currency())) {
            BigDecimal v = ctx.convert(m.revenueMinor(), m.currency(), m.day());
            byManager.computeIfAbsent(m.manager(), k -> new LinkedHashMap<>()).merge("revenue", v, BigDecimal::add);
            totals.merge("revenue", v, BigDecimal::add);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        byManager.forEach((manager, s) -> rows.add(row(ctx, manager, s)));
        List<ReportTable.Column> columns = List.of(ReportTable.key("manager"), ReportTable.text("currency", "ISO 4217 currency of revenue"),
                ReportTable.count("deals", "deals created in the period"),
                ReportTable.count("responded", "of them moved to another stage after creation"),
                ReportTable.decimal("first_response_hours", "average hours from creation to the first stage change"),
                ReportTable.count("won", "won or paid"), ReportTable.count("paid", "with a payment"),
                ReportTable.percent("win_rate_pct", "won / deals x 100"), ReportTable.percent("conversion_pct", "paid / deals x 100"),
                ReportTable.decimal("cycle_days", "average days from creation to the first payment"),
                ReportTable.percent("closed_few_touches_pct", "of the won deals, those whose journey had at most " + DealContributions.FEW_TOUCHES
                        + " touches x 100"),
                ReportTable.money("revenue", "payments (refunds negative) the manager's deals received in the period"));
        Map<String, Object> meta = ChannelReport.meta(ctx, "managers");
        meta.put("first_response", "the first stage change after a deal was created (the CRM's stage history)");
        return new ReportOutput(new ReportTable(columns, ctx.currencyDigits()), rows, row(ctx, "(all)", totals), meta, "-revenue");
    }

    private static Map<String, Object> row(ReportContext ctx, String manager, Map<String, BigDecimal> s) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("manager", manager);
        row.put("currency", ctx.settings.currency());
        BigDecimal deals = RowSums.get(s, "deals");
        row.put("deals", deals);
        row.put("responded", RowSums.get(s, "responded"));
        row.put("first_response_hours", average(RowSums.get(s, "response_seconds"), RowSums.get(s, "responded"), 3600, "no deal was responded to"));
        row.put("won", RowSums.get(s, "won"));
        row.put("paid", RowSums.get(s, "paid"));
        row.put("win_rate_pct", Formulas.percent(RowSums.get(s, "won"), deals, "no deals created"));
        row.put("conversion_pct", Formulas.percent(RowSums.get(s, "paid"), deals, "no deals created"));
        row.put("cycle_days", average(RowSums.get(s, "cycle_seconds"), RowSums.get(s, "cycles"), 86_400, "no deal was paid"));
        row.put("closed_few_touches_pct", Formulas.percent(RowSums.get(s, "closed_few_touches"), RowSums.get(s, "closed"), "no deal was won"));
        row.put("revenue", RowSums.get(s, "revenue"));
        return row;
    }

    private static Figure average(BigDecimal seconds, BigDecimal count, int unit, String none) {
        return count.signum() == 0 ? Figure.none(none) : Figure.of(seconds.divide(count.multiply(BigDecimal.valueOf(unit)), 2, RoundingMode.HALF_EVEN));
    }
}
