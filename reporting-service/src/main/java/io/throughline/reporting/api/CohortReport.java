package io.throughline.reporting.api;

import io.throughline.reporting.domain.metrics.CohortCurve;
import io.throughline.reporting.domain.metrics.Figure;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cohort LTV: one row per first-payment month and acquisition keys (default the channel), with cumulative revenue
 * and gross profit per customer at month 0..N-1 (N = the LTV horizon, months not yet observed empty), retention and
 * the repeat-purchase rate by month, the payback month against the cohort's CAC (ads only and fully loaded), and the
 * classic LTV forecast, labelled as one.
 */
@ApplicationScoped
class CohortReport {

    private final CohortData cohorts;

    CohortReport(CohortData cohorts) {
        this.cohorts = cohorts;
    }

    ReportOutput build(ReportContext ctx) {
        int horizon = ctx.settings.ltvHorizonMonths();
        Map<List<String>, List<CohortData.Cohort>> data = cohorts.cohorts(ctx, YearMonth.from(ctx.period.from()), YearMonth.from(ctx.period.to()),
                ctx.groupBy);
        List<Map<String, Object>> rows = new ArrayList<>();
        List<CohortCurve.Cohort> all = new ArrayList<>();
        data.forEach((keys, list) -> list.forEach(c -> {
            rows.add(row(ctx, keys, c.month().toString(), CohortCurve.of(c.cohort(), horizon, ctx.settings.lifetimeYears()), c.cohort().observedMonths()));
            all.add(c.cohort());
        }));
        Map<String, Object> totals = row(ctx, ctx.groupBy.stream().map(k -> "(all)").toList(), "(all)", CohortCurve.merge(all, horizon,
                ctx.settings.lifetimeYears()), all.stream().mapToInt(CohortCurve.Cohort::observedMonths).max().orElse(0));
        Map<String, Object> meta = ChannelReport.meta(ctx, "cohorts");
        meta.put("cohorts", Map.of("from", YearMonth.from(ctx.period.from()).toString(), "to", YearMonth.from(ctx.period.to()).toString(),
                "horizon_months", horizon, "acquisition", "the lead-creation touch of each customer's first paid deal (repeat purchases count for it)",
                "forecast", "forecast_* = average order value x purchases per year x " + ctx.settings.lifetimeYears()
                        + " expected years: a forecast, not an observation"));
        meta.put("rate_gaps", ctx.rateGaps());
        return new ReportOutput(table(ctx), rows, totals, meta, "cohort");
    }

    static ReportTable table(ReportContext ctx) {
        List<ReportTable.Column> columns = new ArrayList<>();
        columns.add(ReportTable.key("cohort"));
        ctx.groupBy.forEach(k -> columns.add(ReportTable.key(k)));
        columns.add(ReportTable.text("currency", "ISO 4217 currency of every money column"));
        columns.add(ReportTable.count("customers", "people whose first payment fell in the cohort month"));
        columns.add(ReportTable.count("observed_months", "months of the cohort begun so far (month 0 included)"));
        columns.add(ReportTable.money("cac", "the acquisition keys' ad spend in the cohort month / customers"));
        columns.add(ReportTable.money("cac_full", "the same, fully loaded"));
        columns.add(ReportTable.money("ltv", "cumulative gross profit per customer at the last observed month of the horizon"));
        columns.add(ReportTable.money("ltv_revenue", "cumulative revenue per customer, the same month"));
        columns.add(ReportTable.ratio("ltv_to_cac", "ltv / cac_full"));
        columns.add(ReportTable.count("payback_month", "the first month whose cumulative gross profit per customer reached cac"));
        columns.add(ReportTable.count("payback_month_full", "the same against cac_full"));
        columns.add(ReportTable.money("average_order_value", "revenue / purchases"));
        columns.add(ReportTable.decimal("purchases_per_year", "purchases per customer per year, from the observed months"));
        columns.add(ReportTable.money("forecast_ltv_revenue", "FORECAST: average order value x purchases per year x expected lifetime"));
        columns.add(ReportTable.money("forecast_ltv", "FORECAST: the same in gross profit"));
        for (int k = 0; k < ctx.settings.ltvHorizonMonths(); k++) {
            columns.add(ReportTable.money("gross_profit_per_customer_m" + k, "cumulative gross profit per customer by month " + k));
        }
        for (int k = 0; k < ctx.settings.ltvHorizonMonths(); k++) {
            columns.add(ReportTable.money("revenue_per_customer_m" + k, "cumulative revenue per customer by month " + k));
        }
        for (int k = 0; k < ctx.settings.ltvHorizonMonths(); k++) {
            columns.add(ReportTable.percent("retention_m" + k + "_pct", "customers who paid in month " + k + " / customers x 100"));
        }
        for (int k = 0; k < ctx.settings.ltvHorizonMonths(); k++) {
            columns.add(ReportTable.percent("repeat_purchase_m" + k + "_pct", "customers with a second purchase by month " + k + " / customers x 100"));
        }
        return new ReportTable(columns, ctx.currencyDigits());
    }

    private static Map<String, Object> row(ReportContext ctx, List<String> keys, String cohort, CohortCurve.Result c, int observed) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("cohort", cohort);
        for (int i = 0; i < ctx.groupBy.size(); i++) {
            row.put(ctx.groupBy.get(i), keys.get(i));
        }
        row.put("currency", ctx.settings.currency());
        row.put("customers", c.customers());
        row.put("observed_months", BigDecimal.valueOf(observed));
        row.put("cac", c.cacAds());
        row.put("cac_full", c.cacFull());
        row.put("ltv", c.ltvGrossProfit());
        row.put("ltv_revenue", c.ltvRevenue());
        row.put("ltv_to_cac", c.ltvToCac());
        row.put("payback_month", c.paybackMonthAds());
        row.put("payback_month_full", c.paybackMonthFull());
        row.put("average_order_value", c.averageOrderValue());
        row.put("purchases_per_year", c.purchasesPerYear());
        row.put("forecast_ltv_revenue", c.forecastLtvRevenue());
        row.put("forecast_ltv", c.forecastLtvGrossProfit());
        for (int k = 0; k < ctx.settings.ltvHorizonMonths(); k++) {
            CohortCurve.Point p = k < c.points().size() ? c.points().get(k) : null;
            Figure later = Figure.none("month " + k + " has not begun for this cohort");
            row.put("gross_profit_per_customer_m" + k, p == null ? later : p.cumulativeGrossProfitPerCustomer());
            row.put("revenue_per_customer_m" + k, p == null ? later : p.cumulativeRevenuePerCustomer());
            row.put("retention_m" + k + "_pct", p == null ? later : p.retentionPct());
            row.put("repeat_purchase_m" + k + "_pct", p == null ? later : p.repeatPurchasePct());
        }
        return row;
    }
}
