package io.throughline.reporting.domain.metrics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Acquisition cohorts (first-payment month x acquisition channel) over their months: cumulative revenue and gross
 * profit per customer at month 0..N, retention (customers who paid in month k), the repeat-purchase rate (customers
 * with a second purchase by month k), the payback month against the cohort's CAC (the first month whose cumulative
 * gross profit per customer reaches it), and the classic LTV forecast, labelled a forecast: average order value x
 * purchases per year (annualized from the observed months) x expected lifetime in years. Several cohorts (months of a
 * period) merge into one curve whose month k counts only the cohorts that have reached month k, so that young
 * cohorts do not pull late months down.
 */
public final class CohortCurve {

    /** Month k of a cohort: money in the report's currency (minor units), customer counts. */
    public record Month(int offset, BigDecimal revenueMinor, BigDecimal grossProfitMinor, BigDecimal activeCustomers, BigDecimal secondPurchases,
            BigDecimal purchases) {
    }

    /** One cohort: its customers, months, how many of its months have begun (month 0 included) and what acquiring it cost. */
    public record Cohort(BigDecimal customers, List<Month> months, int observedMonths, BigDecimal costAdsMinor, BigDecimal costFullMinor) {
    }

    public record Point(int offset, BigDecimal customers, Figure cumulativeRevenuePerCustomer, Figure cumulativeGrossProfitPerCustomer,
            Figure retentionPct, Figure repeatPurchasePct) {
    }

    public record Result(BigDecimal customers, List<Point> points, Figure cacAds, Figure cacFull, Figure paybackMonthAds, Figure paybackMonthFull,
            Figure ltvGrossProfit, Figure ltvRevenue, Figure averageOrderValue, Figure purchasesPerYear, Figure forecastLtvRevenue,
            Figure forecastLtvGrossProfit, Figure ltvToCac) {
    }

    private CohortCurve() {
    }

    public static Result of(Cohort cohort, int horizonMonths, BigDecimal lifetimeYears) {
        return merge(List.of(cohort), horizonMonths, lifetimeYears);
    }

    /** The curve of the cohorts together, up to {@code horizonMonths} months (month 0 .. horizon - 1). */
    public static Result merge(List<Cohort> cohorts, int horizonMonths, BigDecimal lifetimeYears) {
        int observed = 0;
        BigDecimal customers = BigDecimal.ZERO;
        BigDecimal costAds = BigDecimal.ZERO;
        BigDecimal costFull = BigDecimal.ZERO;
        for (Cohort c : cohorts) {
            observed = Math.max(observed, Math.min(c.observedMonths(), horizonMonths));
            customers = customers.add(c.customers());
            costAds = costAds.add(c.costAdsMinor());
            costFull = costFull.add(c.costFullMinor());
        }
        Figure cacAds = Formulas.cac(costAds, customers);
        Figure cacFull = Formulas.cac(costFull, customers);
        List<Point> points = new ArrayList<>();
        Figure paybackAds = null;
        Figure paybackFull = null;
        BigDecimal allRevenue = BigDecimal.ZERO;
        BigDecimal allGross = BigDecimal.ZERO;
        BigDecimal allPurchases = BigDecimal.ZERO;
        BigDecimal customerMonths = BigDecimal.ZERO;
        for (int k = 0; k < observed; k++) {
            BigDecimal reached = BigDecimal.ZERO;
            BigDecimal cumRevenue = BigDecimal.ZERO;
            BigDecimal cumGross = BigDecimal.ZERO;
            BigDecimal cumSecond = BigDecimal.ZERO;
            BigDecimal active = BigDecimal.ZERO;
            for (Cohort c : cohorts) {
                if (c.observedMonths() <= k) {
                    continue;
                }
                reached = reached.add(c.customers());
                customerMonths = customerMonths.add(c.customers());
                for (Month m : c.months()) {
                    if (m.offset() <= k) {
                        cumRevenue = cumRevenue.add(m.revenueMinor());
                        cumGross = cumGross.add(m.grossProfitMinor());
                        cumSecond = cumSecond.add(m.secondPurchases());
                    }
                    if (m.offset() == k) {
                        active = active.add(m.activeCustomers());
                        allRevenue = allRevenue.add(m.revenueMinor());
                        allGross = allGross.add(m.grossProfitMinor());
                        allPurchases = allPurchases.add(m.purchases());
                    }
                }
            }
            Figure gpPerCustomer = Formulas.perUnit(cumGross, reached, "no customers");
            points.add(new Point(k, reached, Formulas.perUnit(cumRevenue, reached, "no customers"), gpPerCustomer,
                    Formulas.percent(active, reached, "no customers"), Formulas.percent(cumSecond, reached, "no customers")));
            if (paybackAds == null && reaches(gpPerCustomer, cacAds)) {
                paybackAds = Figure.of(BigDecimal.valueOf(k));
            }
            if (paybackFull == null && reaches(gpPerCustomer, cacFull)) {
                paybackFull = Figure.of(BigDecimal.valueOf(k));
            }
        }
        String notYet = "not paid back within the " + observed + " observed months";
        paybackAds = paybackAds != null ? paybackAds : cacAds.present() ? Figure.none(notYet) : Figure.none(cacAds.nullReason());
        paybackFull = paybackFull != null ? paybackFull : cacFull.present() ? Figure.none(notYet) : Figure.none(cacFull.nullReason());
        Point last = points.isEmpty() ? null : points.get(points.size() - 1);
        Figure ltvGross = last == null ? Figure.none("no customers") : last.cumulativeGrossProfitPerCustomer();
        Figure ltvRevenue = last == null ? Figure.none("no customers") : last.cumulativeRevenuePerCustomer();
        Figure aov = Formulas.perUnit(allRevenue, allPurchases, "no purchases");
        Figure perYear = customerMonths.signum() == 0 ? Figure.none("no customers")
                : Figure.of(allPurchases.multiply(BigDecimal.valueOf(12)).divide(customerMonths, 2, RoundingMode.HALF_EVEN));
        Figure forecastRevenue = perYear.present() ? Formulas.ltvForecast(aov, perYear.value(), lifetimeYears) : perYear;
        Figure forecastGross;
        if (!forecastRevenue.present()) {
            forecastGross = forecastRevenue;
        } else if (allRevenue.signum() == 0) {
            forecastGross = Figure.none("no revenue");
        } else {
            forecastGross = Figure.of(forecastRevenue.value().multiply(allGross).divide(allRevenue, 0, RoundingMode.HALF_EVEN));
        }
        return new Result(customers, points, cacAds, cacFull, paybackAds, paybackFull, ltvGross, ltvRevenue, aov, perYear, forecastRevenue,
                forecastGross, Formulas.ltvToCac(ltvGross, cacFull));
    }

    private static boolean reaches(Figure perCustomer, Figure cac) {
        return cac.present() && perCustomer.present() && perCustomer.value().compareTo(cac.value()) >= 0;
    }
}
