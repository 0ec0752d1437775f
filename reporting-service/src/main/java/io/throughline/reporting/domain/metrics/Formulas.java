package io.throughline.reporting.domain.metrics;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The formulas of {@code metrics.md}, on exact decimals: money in minor units (fractional where it is a share of
 * money), percentages with two decimals, money per unit rounded half-even to whole minor units. Every division by
 * zero answers a {@link Figure} without a value and with the reason.
 */
public final class Formulas {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final MathContext WIDE = new MathContext(34, RoundingMode.HALF_EVEN);

    private Formulas() {
    }

    /** Money per unit (CPC, CPL, CPO, CAC, average check): whole minor units. */
    public static Figure perUnit(BigDecimal moneyMinor, BigDecimal units, String noUnits) {
        if (units == null || units.signum() == 0) {
            return Figure.none(noUnits);
        }
        return Figure.of(moneyMinor.divide(units, 0, RoundingMode.HALF_EVEN));
    }

    /** CPL = marketing cost / leads. */
    public static Figure cpl(BigDecimal costMinor, BigDecimal leads) {
        return perUnit(costMinor, leads, "no leads");
    }

    /** CPO = marketing cost / deals created. */
    public static Figure cpo(BigDecimal costMinor, BigDecimal deals) {
        return perUnit(costMinor, deals, "no deals created");
    }

    /** CAC = marketing cost / new customers. */
    public static Figure cac(BigDecimal costMinor, BigDecimal newCustomers) {
        return perUnit(costMinor, newCustomers, "no new customers");
    }

    /** CPC = ad spend / clicks. */
    public static Figure cpc(BigDecimal spendMinor, BigDecimal clicks) {
        return perUnit(spendMinor, clicks, "no clicks");
    }

    /** ROAS = attributed revenue / marketing cost x 100. */
    public static Figure roas(BigDecimal revenueMinor, BigDecimal costMinor) {
        return percent(revenueMinor, costMinor, "no marketing cost");
    }

    /**
     * ROMI = (attributed value - marketing cost) / marketing cost x 100; the value is gross profit (the default) or
     * revenue (revenue-based ROMI).
     */
    public static Figure romi(BigDecimal valueMinor, BigDecimal costMinor) {
        if (costMinor == null || costMinor.signum() == 0) {
            return Figure.none("no marketing cost");
        }
        return percent(valueMinor.subtract(costMinor), costMinor, "no marketing cost");
    }

    /** a / b x 100 with two decimals. */
    public static Figure percent(BigDecimal a, BigDecimal b, String bIsZero) {
        if (b == null || b.signum() == 0) {
            return Figure.none(bIsZero);
        }
        return Figure.of(a.multiply(HUNDRED).divide(b, 2, RoundingMode.HALF_EVEN));
    }

    /** a / b with two decimals (LTV / CAC). */
    public static Figure ratio(BigDecimal a, BigDecimal b, String bIsZero) {
        if (b == null || b.signum() == 0) {
            return Figure.none(bIsZero);
        }
        return Figure.of(a.divide(b, 2, RoundingMode.HALF_EVEN));
    }

    /** LTV / CAC, both figures that may be missing. */
    public static Figure ltvToCac(Figure ltv, Figure cac) {
        if (!ltv.present()) {
            return Figure.none(ltv.nullReason());
        }
        if (!cac.present()) {
            return Figure.none(cac.nullReason());
        }
        return ratio(ltv.value(), cac.value(), "CAC is zero");
    }

    /** The classic LTV forecast: average order value x purchases per year x expected lifetime in years. */
    public static Figure ltvForecast(Figure averageOrderValue, BigDecimal purchasesPerYear, BigDecimal lifetimeYears) {
        if (!averageOrderValue.present()) {
            return averageOrderValue;
        }
        return Figure.of(averageOrderValue.value().multiply(purchasesPerYear).multiply(lifetimeYears).setScale(0, RoundingMode.HALF_EVEN));
    }

    /** Repeat-purchase rate = customers with >= 2 purchases / all customers x 100. */
    public static Figure repeatPurchaseRate(BigDecimal repeatCustomers, BigDecimal customers) {
        return percent(repeatCustomers, customers, "no customers");
    }

    /** Churn = customers whose last purchase is older than the churn window / customers active at the start x 100. */
    public static Figure churn(BigDecimal churned, BigDecimal activeAtStart) {
        return percent(churned, activeAtStart, "no customers active at the start of the period");
    }

    /** Stage conversion = deals that reached stage k+1 / deals that reached stage k x 100. */
    public static Figure conversion(BigDecimal reachedNext, BigDecimal reached) {
        return percent(reachedNext, reached, "no deals reached the stage");
    }

    /** Exact quotient for intermediate sums (not rounded to a display scale). */
    static BigDecimal exact(BigDecimal a, BigDecimal b) {
        return a.divide(b, WIDE);
    }
}
