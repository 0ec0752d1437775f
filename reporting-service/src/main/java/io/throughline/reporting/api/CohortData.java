package io.throughline.reporting.api;

import io.throughline.reporting.domain.metrics.CohortCurve;
import io.throughline.reporting.store.ReportQueries;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Acquisition cohorts of a range of months, per acquisition key set: their customers and months (money converted at
 * each payment day's rate) and what acquiring them cost (the keys' ad spend in the cohort month, with its allocated
 * overheads), ready for {@link CohortCurve}.
 */
@ApplicationScoped
class CohortData {

    /** One cohort month of one key set. */
    record Cohort(YearMonth month, CohortCurve.Cohort cohort) {
    }

    private final ReportQueries queries;
    private final CostAllocation costs;

    CohortData(ReportQueries queries, CostAllocation costs) {
        this.queries = queries;
        this.costs = costs;
    }

    Map<List<String>, List<Cohort>> cohorts(ReportContext ctx, YearMonth from, YearMonth to, List<String> groupBy) {
        String currency = ctx.settings.currency();
        Map<List<String>, Map<YearMonth, Map<Integer, BigDecimal[]>>> money = new LinkedHashMap<>();
        queries.cohortMoney(ctx.tenantId, from, to, ctx.filters, groupBy, currency, m -> {
            LocalDate day = m.day() == null ? m.cohort().plusMonths(m.offset()).atDay(1) : m.day();
            BigDecimal[] sums = money.computeIfAbsent(m.keys(), k -> new TreeMap<>()).computeIfAbsent(m.cohort(), c -> new TreeMap<>())
                    .computeIfAbsent(m.offset(), o -> zeros(5));
            sums[0] = sums[0].add(ctx.convert(m.revenueMinor(), m.currency(), day));
            sums[1] = sums[1].add(ctx.convert(m.grossProfitMinor(), m.currency(), day));
            sums[4] = sums[4].add(m.purchases());
        });
        queries.cohortPeople(ctx.tenantId, from, to, ctx.filters, groupBy, p -> {
            BigDecimal[] sums = money.computeIfAbsent(p.keys(), k -> new TreeMap<>()).computeIfAbsent(p.cohort(), c -> new TreeMap<>())
                    .computeIfAbsent(p.offset(), o -> zeros(5));
            sums[2] = sums[2].add(p.active());
            sums[3] = sums[3].add(p.secondPurchases());
        });
        LocalDate start = from.atDay(1);
        LocalDate end = to.atEndOfMonth();
        ReportQueries.Filter filter = new ReportQueries.Filter(start, end, ctx.filters, null, ctx.model == null ? "" : ctx.model.series());
        List<ReportQueries.Cell> spend = ctx.cells(queries, ReportQueries.SPEND, filter, groupBy);
        List<ReportQueries.Cell> leads = ctx.cells(queries, ReportQueries.LEADS, filter, groupBy);
        List<ReportQueries.Cell> credits = ctx.model == null ? List.of() : ctx.cells(queries, ReportQueries.CREDITS, filter, groupBy);
        Map<List<String>, Map<YearMonth, BigDecimal>> ads = new LinkedHashMap<>();
        spend.forEach(c -> ads.computeIfAbsent(c.keys(), k -> new TreeMap<>()).merge(c.month(), ctx.money(c, "cost"), BigDecimal::add));
        CostAllocation.Result overheads = costs.allocate(ctx, start, end, spend, leads, credits);
        YearMonth now = YearMonth.from(LocalDate.now(ctx.settings.zone()));
        Map<List<String>, List<Cohort>> out = new LinkedHashMap<>();
        money.forEach((keys, byMonth) -> byMonth.forEach((month, offsets) -> {
            BigDecimal customers = offsets.containsKey(0) ? offsets.get(0)[2] : BigDecimal.ZERO;
            List<CohortCurve.Month> months = new ArrayList<>();
            offsets.forEach((o, s) -> months.add(new CohortCurve.Month(o, s[0], s[1], s[2], s[3], s[4])));
            BigDecimal adCost = ads.getOrDefault(keys, Map.of()).getOrDefault(month, BigDecimal.ZERO);
            BigDecimal overhead = overheads.byRow().getOrDefault(keys, Map.of()).getOrDefault(month, BigDecimal.ZERO);
            int observed = (int) ChronoUnit.MONTHS.between(month, now) + 1;
            out.computeIfAbsent(keys, k -> new ArrayList<>()).add(new Cohort(month, new CohortCurve.Cohort(customers, months, Math.max(observed, 1),
                    adCost, adCost.add(overhead))));
        }));
        return out;
    }

    private static BigDecimal[] zeros(int n) {
        BigDecimal[] out = new BigDecimal[n];
        java.util.Arrays.fill(out, BigDecimal.ZERO);
        return out;
    }
}
