package io.throughline.reporting.api;

import io.throughline.reporting.domain.ReportSettings;
import io.throughline.reporting.domain.metrics.Figure;
import io.throughline.reporting.domain.metrics.NaiveVsReal;
import io.throughline.reporting.store.FeedStore;
import io.throughline.reporting.store.ReportQueries;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * "What your ad cabinet says" against "what you earned" (metrics.md), per channel or campaign: the naive ROMI (every raw
 * lead a conversion, valued at the believed conversion rate x check or at the created deals' average amount, last
 * click), the real ROMI (paid gross profit under the chosen model), and the bridge between them in ROMI points: bots and
 * junk, duplicates and returning customers, unpaid deals, the real average check, margin, the attribution model, and
 * the overheads (to the fully loaded ROMI).
 */
@ApplicationScoped
class NaiveReport {

    static final List<ReportTable.Column> FIGURES = List.of(
            ReportTable.text("currency", "ISO 4217 currency of every money column"),
            ReportTable.money("cost", "ad spend (ads only): the cost both views are measured against"),
            ReportTable.money("cost_full", "ad spend + overheads"),
            ReportTable.count("leads_raw", "form leads and inbound calls as the ad cabinet counts them"),
            ReportTable.count("junk_leads", "of them bots, refused contacts, spam calls"),
            ReportTable.count("leads", "clean leads"),
            ReportTable.percent("expected_conversion_pct", "the conversion of a lead the naive view believes in"),
            ReportTable.money("expected_check", "the check the naive view believes in"),
            ReportTable.money("naive_value", "leads_raw x expected conversion x expected check"),
            ReportTable.percent("naive_romi_pct", "(naive_value - cost) / cost x 100"),
            ReportTable.decimal("paid_deals", "deals paid in the period, last click"),
            ReportTable.percent("real_conversion_pct", "paid_deals / leads x 100"),
            ReportTable.money("real_check", "last-click revenue / paid_deals"),
            ReportTable.percent("margin_pct", "gross profit / revenue x 100 (last click)"),
            ReportTable.money("gross_profit", "paid gross profit under the chosen model"),
            ReportTable.percent("real_romi_pct", "(gross_profit - cost) / cost x 100"),
            ReportTable.percent("real_romi_full_pct", "(gross_profit - cost_full) / cost_full x 100"),
            ReportTable.percent("bridge_bots_and_junk_pts", "ROMI points lost by leaving out bots and junk"),
            ReportTable.percent("bridge_duplicates_and_returning_pts", "ROMI points from counting each new person once (duplicates, returning customers)"),
            ReportTable.percent("bridge_unpaid_deals_pts", "ROMI points from counting the deals actually paid instead of the believed conversion"),
            ReportTable.percent("bridge_average_check_pts", "ROMI points from the real average check"),
            ReportTable.percent("bridge_margin_pts", "ROMI points from gross profit instead of revenue"),
            ReportTable.percent("bridge_attribution_model_pts", "ROMI points from the chosen model instead of the last click"),
            ReportTable.percent("bridge_overheads_pts", "ROMI points from the overheads (real to real fully loaded)"));

    private final ReportQueries queries;
    private final CostAllocation costs;

    NaiveReport(ReportQueries queries, CostAllocation costs) {
        this.queries = queries;
        this.costs = costs;
    }

    ReportOutput build(ReportContext ctx) {
        String currency = ctx.settings.currency();
        String series = ctx.model == null ? "" : ctx.model.series();
        FeedStore.SeriesState lastClick = ctx.models.stream().filter(m -> m.series().equals(ctx.settings.lastClickModel())).findFirst().orElse(ctx.model);
        ReportQueries.Filter filter = ctx.filter(series);
        List<ReportQueries.Cell> spend = ctx.cells(queries, ReportQueries.SPEND, filter, ctx.groupBy);
        List<ReportQueries.Cell> leads = ctx.cells(queries, ReportQueries.LEADS, filter, ctx.groupBy);
        List<ReportQueries.Cell> credits = ctx.model == null ? List.of() : ctx.cells(queries, ReportQueries.CREDITS, filter, ctx.groupBy);
        RowSums sums = new RowSums();
        sums.add(ctx, spend, ReportQueries.SPEND);
        sums.add(ctx, leads, ReportQueries.LEADS);
        sums.add(ctx, ctx.cells(queries, ReportQueries.DEALS, filter, ctx.groupBy), ReportQueries.DEALS);
        sums.add(ctx, credits, ReportQueries.CREDITS);
        if (lastClick != null) {
            sums.add(ctx, ctx.cells(queries, ReportQueries.CREDITS, ctx.filter(lastClick.series()), ctx.groupBy), ReportQueries.CREDITS,
                    Map.of("paid_deals", "lc_paid_deals", "revenue", "lc_revenue", "gross_profit", "lc_gross_profit", "conversions", "lc_conversions",
                            "new_customers", "lc_new_customers"));
        }
        CostAllocation.Result overheads = costs.allocate(ctx, ctx.period.from(), ctx.period.to(), spend, leads, credits);
        for (List<String> row : new ArrayList<>(sums.rows().keySet())) {
            sums.put(row, "overhead", overheads.of(row));
        }
        BigDecimal workspaceCheck = average(sums.totals());
        List<Map<String, Object>> rows = new ArrayList<>();
        sums.rows().forEach((keys, s) -> rows.add(row(ctx, keys, s, workspaceCheck)));
        Map<String, Object> totals = row(ctx, ctx.groupBy.stream().map(k -> "(all)").toList(), sums.totals(), workspaceCheck);
        Map<String, Object> meta = ChannelReport.meta(ctx, "naive-vs-real");
        meta.put("naive", Map.of("valuation", ctx.settings.naiveValuation().code(), "last_click_model", lastClick == null ? "" : lastClick.series(),
                "steps", NaiveVsReal.STEPS));
        if (lastClick != null && !lastClick.series().equals(ctx.settings.lastClickModel())) {
            meta.put("note", "the last-click series " + ctx.settings.lastClickModel() + " has no run here: the chosen model stands in for it, so the"
                    + " attribution step is zero");
        }
        meta.put("rate_gaps", ctx.rateGaps());
        return new ReportOutput(table(ctx), rows, totals, meta, "-cost");
    }

    private static ReportTable table(ReportContext ctx) {
        List<ReportTable.Column> columns = new ArrayList<>();
        ctx.groupBy.forEach(k -> columns.add(ReportTable.key(k)));
        columns.addAll(FIGURES);
        return new ReportTable(columns, ctx.currencyDigits());
    }

    /** The average amount of the deals created, a row's own or else the workspace's. */
    private static BigDecimal average(Map<String, BigDecimal> s) {
        BigDecimal deals = RowSums.get(s, "deals");
        return deals.signum() == 0 ? BigDecimal.ZERO : RowSums.get(s, "deal_amount").divide(deals, 0, RoundingMode.HALF_EVEN);
    }

    private static Map<String, Object> row(ReportContext ctx, List<String> keys, Map<String, BigDecimal> s, BigDecimal workspaceCheck) {
        boolean byDeals = ctx.settings.naiveValuation() == ReportSettings.NaiveValuation.DEAL_AMOUNT;
        BigDecimal own = average(s);
        BigDecimal check = byDeals ? (own.signum() > 0 ? own : workspaceCheck) : BigDecimal.valueOf(ctx.settings.naiveCheckMinor());
        BigDecimal conversion = byDeals ? BigDecimal.valueOf(100) : ctx.settings.naiveConversionPct();
        BigDecimal cost = RowSums.get(s, "cost");
        BigDecimal full = cost.add(RowSums.get(s, "overhead"));
        NaiveVsReal.Result r = NaiveVsReal.of(new NaiveVsReal.Inputs(cost, full, RowSums.get(s, "leads_raw"), RowSums.get(s, "junk_leads"),
                RowSums.get(s, "leads"), conversion, check, RowSums.get(s, "lc_paid_deals"), RowSums.get(s, "lc_revenue"), RowSums.get(s, "lc_gross_profit"),
                RowSums.get(s, "gross_profit")));
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < ctx.groupBy.size(); i++) {
            row.put(ctx.groupBy.get(i), keys.get(i));
        }
        row.put("currency", ctx.settings.currency());
        row.put("cost", cost);
        row.put("cost_full", full);
        row.put("leads_raw", RowSums.get(s, "leads_raw"));
        row.put("junk_leads", RowSums.get(s, "junk_leads"));
        row.put("leads", RowSums.get(s, "leads"));
        row.put("expected_conversion_pct", Figure.of(conversion));
        row.put("expected_check", check);
        row.put("naive_value", r.naiveValueMinor());
        row.put("naive_romi_pct", r.naiveRomi());
        row.put("paid_deals", RowSums.get(s, "lc_paid_deals"));
        row.put("real_conversion_pct", r.realConversionPct());
        row.put("real_check", r.realCheckMinor());
        row.put("margin_pct", r.marginPct());
        row.put("gross_profit", RowSums.get(s, "gross_profit"));
        row.put("real_romi_pct", r.realRomi());
        row.put("real_romi_full_pct", r.realRomiFullyLoaded());
        for (NaiveVsReal.Step step : r.bridge()) {
            row.put("bridge_" + step.step() + "_pts", step.romiPoints());
        }
        return row;
    }
}
