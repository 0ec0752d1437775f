package io.throughline.reporting.api;

import io.throughline.reporting.domain.metrics.ChannelFigures;
import io.throughline.reporting.domain.metrics.CohortCurve;
import io.throughline.reporting.domain.metrics.Figure;
import io.throughline.reporting.store.ReportQueries;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Channels, campaigns and keywords (any grouping of channel, source, medium, campaign, keyword): ad spend, overheads,
 * traffic, leads raw and clean, deals, the model's paid deals, new customers, revenue and gross profit, and every
 * ratio of metrics.md ads-only and fully loaded; LTV from the acquisition cohorts of the period's months.
 */
@ApplicationScoped
class ChannelReport {

    static final List<ReportTable.Column> FIGURES = List.of(
            ReportTable.text("currency", "ISO 4217 currency of every money column"),
            ReportTable.money("cost", "ad spend (ads only)"),
            ReportTable.money("overhead", "overheads allocated by the workspace's rule"),
            ReportTable.money("cost_full", "ad spend + overheads (fully loaded)"),
            ReportTable.count("impressions", "ad impressions"),
            ReportTable.count("clicks", "ad clicks"),
            ReportTable.decimal("cabinet_conversions", "conversions the ad platform reported"),
            ReportTable.count("sessions", "human web sessions"),
            ReportTable.count("bot_sessions", "sessions flagged as bots (excluded everywhere else)"),
            ReportTable.count("leads_raw", "form leads and inbound calls, bots and duplicates included"),
            ReportTable.count("junk_leads", "bot sessions' leads, refused contacts, spam calls"),
            ReportTable.count("duplicates", "further contacts of people who already contacted in the period"),
            ReportTable.count("returning_customers", "contacts of people who had paid before"),
            ReportTable.count("leads", "clean leads: a unique new person's first contact in the period (forms, calls, CRM deals)"),
            ReportTable.count("deals", "CRM deals created, by the touch that created the lead"),
            ReportTable.decimal("paid_deals", "deals with a first payment in the period, credited by the model"),
            ReportTable.decimal("new_customers", "people whose first payment ever fell in the period, credited by the model"),
            ReportTable.money("revenue", "payments received in the period (refunds negative), credited by the model"),
            ReportTable.money("gross_profit", "revenue minus cost of goods (or the product line's margin)"),
            ReportTable.money("cpc", "cost / clicks"),
            ReportTable.money("cpl", "cost / leads"),
            ReportTable.money("cpl_full", "cost_full / leads"),
            ReportTable.money("cpo", "cost / deals"),
            ReportTable.money("cpo_full", "cost_full / deals"),
            ReportTable.money("cac", "cost / new customers"),
            ReportTable.money("cac_full", "cost_full / new customers"),
            ReportTable.money("average_check", "revenue / paid deals"),
            ReportTable.percent("roas_pct", "revenue / cost x 100"),
            ReportTable.percent("roas_full_pct", "revenue / cost_full x 100"),
            ReportTable.percent("romi_pct", "(gross profit - cost) / cost x 100"),
            ReportTable.percent("romi_full_pct", "(gross profit - cost_full) / cost_full x 100"),
            ReportTable.percent("romi_revenue_pct", "(revenue - cost) / cost x 100"),
            ReportTable.percent("romi_revenue_full_pct", "(revenue - cost_full) / cost_full x 100"),
            ReportTable.money("ltv", "observed gross profit per customer of the period's cohorts, up to the LTV horizon"),
            ReportTable.ratio("ltv_to_cac", "ltv / cac_full (3 or more is commonly called healthy)"),
            ReportTable.count("payback_months", "months until the cohorts' gross profit per customer reached cac_full (0 = the first month)"));

    private final ReportQueries queries;
    private final CostAllocation costs;
    private final CohortData cohorts;

    ChannelReport(ReportQueries queries, CostAllocation costs, CohortData cohorts) {
        this.queries = queries;
        this.costs = costs;
        this.cohorts = cohorts;
    }

    ReportOutput build(ReportContext ctx) {
        String currency = ctx.settings.currency();
        String series = ctx.model == null ? "" : ctx.model.series();
        ReportQueries.Filter filter = ctx.filter(series);
        List<ReportQueries.Cell> spend = ctx.cells(queries, ReportQueries.SPEND, filter, ctx.groupBy);
        List<ReportQueries.Cell> leads = ctx.cells(queries, ReportQueries.LEADS, filter, ctx.groupBy);
        List<ReportQueries.Cell> credits = ctx.model == null ? List.of() : ctx.cells(queries, ReportQueries.CREDITS, filter, ctx.groupBy);
        RowSums sums = new RowSums();
        sums.add(ctx, spend, ReportQueries.SPEND);
        sums.add(ctx, ctx.cells(queries, ReportQueries.TRAFFIC, filter, ctx.groupBy), ReportQueries.TRAFFIC);
        sums.add(ctx, leads, ReportQueries.LEADS);
        sums.add(ctx, ctx.cells(queries, ReportQueries.DEALS, filter, ctx.groupBy), ReportQueries.DEALS);
        sums.add(ctx, credits, ReportQueries.CREDITS);
        CostAllocation.Result overheads = costs.allocate(ctx, ctx.period.from(), ctx.period.to(), spend, leads, credits);
        for (List<String> row : new ArrayList<>(sums.rows().keySet())) {
            sums.put(row, "overhead", overheads.of(row));
        }
        // A trend's rows are days or months: lifetime value belongs to customers, not to a day (its LTV columns stay empty).
        boolean trend = ctx.groupBy.stream().anyMatch(ReportQueries.TIME_KEYS::contains);
        Map<List<String>, List<CohortData.Cohort>> cohortsByRow = trend ? Map.of()
                : cohorts.cohorts(ctx, YearMonth.from(ctx.period.from()), YearMonth.from(ctx.period.to()), ctx.groupBy);
        List<Map<String, Object>> rows = new ArrayList<>();
        List<CohortCurve.Cohort> all = new ArrayList<>();
        for (Map.Entry<List<String>, Map<String, BigDecimal>> e : sums.rows().entrySet()) {
            List<CohortCurve.Cohort> own = cohortsByRow.getOrDefault(e.getKey(), List.of()).stream().map(CohortData.Cohort::cohort).toList();
            all.addAll(own);
            rows.add(row(ctx, e.getKey(), e.getValue(), own));
        }
        Map<String, Object> totals = row(ctx, ctx.groupBy.stream().map(k -> "(all)").toList(), sums.totals(), all);
        Map<String, Object> meta = meta(ctx, "channels");
        meta.put("overheads", Map.of("rule", ctx.settings.overheadRule().code(), "allocated", major(ctx, overheads.allocatedMinor()),
                "unallocated", major(ctx, overheads.unallocatedMinor())));
        meta.put("ltv", Map.of("horizon_months", ctx.settings.ltvHorizonMonths(), "cohorts", YearMonth.from(ctx.period.from()) + ".."
                + YearMonth.from(ctx.period.to()), "acquisition", "the lead-creation touch of each customer's first paid deal"));
        meta.put("rate_gaps", ctx.rateGaps());
        return new ReportOutput(table(ctx), rows, totals, meta, "-revenue");
    }

    static ReportTable table(ReportContext ctx) {
        List<ReportTable.Column> columns = new ArrayList<>();
        ctx.groupBy.forEach(k -> columns.add(ReportTable.key(k)));
        columns.addAll(FIGURES);
        return new ReportTable(columns, ctx.currencyDigits());
    }

    private static Map<String, Object> row(ReportContext ctx, List<String> keys, Map<String, BigDecimal> s, List<CohortCurve.Cohort> cohorts) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < ctx.groupBy.size(); i++) {
            row.put(ctx.groupBy.get(i), keys.get(i));
        }
        row.put("currency", ctx.settings.currency());
        for (ReportTable.Column c : FIGURES) {
            if (c.type() != ReportTable.Type.TEXT) {
                row.put(c.name(), RowSums.get(s, c.name()));
            }
        }
        ChannelFigures f = ChannelFigures.of(new ChannelFigures.Totals(RowSums.get(s, "cost"), RowSums.get(s, "overhead"), RowSums.get(s, "clicks"),
                RowSums.get(s, "leads"), RowSums.get(s, "deals"), RowSums.get(s, "paid_deals"), RowSums.get(s, "new_customers"), RowSums.get(s, "revenue"),
                RowSums.get(s, "gross_profit")));
        row.put("cost_full", f.costFullMinor());
        row.put("cpc", f.cpc());
        row.put("cpl", f.cplAds());
        row.put("cpl_full", f.cplFull());
        row.put("cpo", f.cpoAds());
        row.put("cpo_full", f.cpoFull());
        row.put("cac", f.cacAds());
        row.put("cac_full", f.cacFull());
        row.put("average_check", f.averageCheck());
        row.put("roas_pct", f.roasAds());
        row.put("roas_full_pct", f.roasFull());
        row.put("romi_pct", f.romiAds());
        row.put("romi_full_pct", f.romiFull());
        row.put("romi_revenue_pct", f.romiRevenueAds());
        row.put("romi_revenue_full_pct", f.romiRevenueFull());
        CohortCurve.Result curve = CohortCurve.merge(cohorts, ctx.settings.ltvHorizonMonths(), ctx.settings.lifetimeYears());
        row.put("ltv", curve.ltvGrossProfit());
        row.put("ltv_to_cac", io.throughline.reporting.domain.metrics.Formulas.ltvToCac(curve.ltvGrossProfit(), f.cacFull()));
        row.put("payback_months", payback(curve, f.cacFull()));
        return row;
    }

    /** The first month whose cumulative gross profit per customer reaches the CAC. */
    static Figure payback(CohortCurve.Result curve, Figure cac) {
        if (!cac.present()) {
            return Figure.none(cac.nullReason());
        }
        for (CohortCurve.Point p : curve.points()) {
            if (p.cumulativeGrossProfitPerCustomer().present() && p.cumulativeGrossProfitPerCustomer().value().compareTo(cac.value()) >= 0) {
                return Figure.of(BigDecimal.valueOf(p.offset()));
            }
        }
        return Figure.none(curve.points().isEmpty() ? "no customers in the period's cohorts" : "not paid back within the "
                + curve.points().size() + " observed months");
    }

    static Map<String, Object> meta(ReportContext ctx, String report) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("report", report);
        meta.put("period", Map.of("from", ctx.period.from().toString(), "to", ctx.period.to().toString(), "time_zone", ctx.settings.zone().getId()));
        meta.put("currency", ctx.settings.currency());
        meta.put("locale", ctx.settings.locale());
        meta.put("group_by", ctx.groupBy);
        meta.put("filters", ctx.filters);
        if (ctx.siteKey != null) {
            meta.put("site", Map.of("key", ctx.siteKey, "applies_to", List.of("sessions", "leads", "calls"),
                    "note", "spend, deals and credits are not split by site"));
        }
        meta.put("model", ctx.modelMeta());
        meta.put("models_available", ctx.models.stream().map(m -> m.series()).toList());
        return meta;
    }

    static java.math.BigDecimal major(ReportContext ctx, BigDecimal minor) {
        return minor.setScale(0, java.math.RoundingMode.HALF_EVEN).movePointLeft(ctx.currencyDigits()).setScale(ctx.currencyDigits(),
                java.math.RoundingMode.UNNECESSARY);
    }
}
