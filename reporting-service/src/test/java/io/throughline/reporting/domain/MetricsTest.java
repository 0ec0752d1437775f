package io.throughline.reporting.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.throughline.reporting.domain.metrics.CohortCurve;
import io.throughline.reporting.domain.metrics.Figure;
import io.throughline.reporting.domain.metrics.Formulas;
import io.throughline.reporting.domain.metrics.NaiveVsReal;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The formulas of metrics.md on its worked examples, to the kopeck; divisions by zero are figures without a value. */
class MetricsTest {

    private static BigDecimal rub(long roubles) {
        return BigDecimal.valueOf(roubles * 100);
    }

    private static BigDecimal v(Figure f) {
        return f.value();
    }

    @Test
    void theOnlineStoreTheCleaningServiceAndTheNailStudio() {
        assertEquals(new BigDecimal("-4.00"), v(Formulas.romi(rub(120_000).multiply(new BigDecimal("0.4")), rub(50_000))));
        assertEquals(new BigDecimal("200.00"), v(Formulas.romi(rub(40 * 3000 / 2), rub(20_000))));
        assertEquals(new BigDecimal("25000"), v(Formulas.cpl(rub(20_000), BigDecimal.valueOf(80))), "250 roubles");
        assertEquals(new BigDecimal("80.00"), v(Formulas.romi(rub(120 * 1200 / 2), rub(40_000))));
        assertEquals(new BigDecimal("240.00"), v(Formulas.roas(rub(120_000), rub(50_000))));
    }

    @Test
    void theLtvExampleAndItsCac() {
        Figure check = Formulas.perUnit(rub(3000), BigDecimal.ONE, "none");
        assertEquals(rub(36_000), v(Formulas.ltvForecast(check, BigDecimal.valueOf(4), BigDecimal.valueOf(3))));
        assertEquals(rub(500), v(Formulas.cac(rub(50_000), BigDecimal.valueOf(100))));
        assertEquals(new BigDecimal("72.00"), v(Formulas.ltvToCac(Figure.of(rub(36_000)), Figure.of(rub(500)))));
    }

    @Test
    void aDivisionByZeroIsAFigureWithoutValueThatSaysWhy() {
        Figure romi = Formulas.romi(rub(100), BigDecimal.ZERO);
        assertFalse(romi.present());
        assertEquals("no marketing cost", romi.nullReason());
        assertEquals("no leads", Formulas.cpl(rub(100), BigDecimal.ZERO).nullReason());
        assertEquals("no new customers", Formulas.cac(rub(100), BigDecimal.ZERO).nullReason());
        assertEquals("no customers", Formulas.repeatPurchaseRate(BigDecimal.ONE, BigDecimal.ZERO).nullReason());
        assertEquals("no marketing cost", Formulas.ltvToCac(Figure.of(BigDecimal.TEN), Formulas.cac(BigDecimal.ONE, BigDecimal.ZERO)
                .present() ? Figure.none("x") : Figure.none("no marketing cost")).nullReason());
    }

    @Test
    void moneyPerUnitIsRoundedHalfEvenToWholeKopecks() {
        assertEquals(new BigDecimal("33333"), v(Formulas.perUnit(rub(1000), BigDecimal.valueOf(3), "x")), "333.33 roubles");
        assertEquals(new BigDecimal("2"), v(Formulas.perUnit(new BigDecimal("5"), BigDecimal.valueOf(2), "x")), "2.5 kopecks to the even 2");
    }

    @Test
    void theOnlineSchoolsBridgeFromBeliefToMoney() {
        NaiveVsReal.Result r = NaiveVsReal.of(new NaiveVsReal.Inputs(rub(800_000), rub(800_000), BigDecimal.valueOf(1000), BigDecimal.ZERO,
                BigDecimal.valueOf(1000), BigDecimal.valueOf(15), rub(25_000), BigDecimal.valueOf(60), rub(60 * 18_500), rub(60 * 18_500),
                rub(60 * 18_500)));
        assertEquals(new BigDecimal("368.75"), v(r.naiveRomi()));
        assertEquals(new BigDecimal("38.75"), v(r.realRomi()));
        assertEquals(new BigDecimal("6.00"), v(r.realConversionPct()));
        assertEquals(rub(18_500), v(r.realCheckMinor()));
        BigDecimal sum = r.bridge().stream().map(s -> s.romiPoints().value()).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(v(r.realRomiFullyLoaded()).subtract(v(r.naiveRomi())), sum, "the steps add up to the gap");
        assertEquals(NaiveVsReal.STEPS, r.bridge().stream().map(NaiveVsReal.Step::step).toList());
    }

    @Test
    void thePrintingHousesCohortPaysBackInItsThirdMonth() {
        List<CohortCurve.Month> months = List.of(new CohortCurve.Month(0, rub(40_000), rub(40_000), BigDecimal.TEN, BigDecimal.ZERO, BigDecimal.TEN),
                new CohortCurve.Month(2, rub(100_000), rub(100_000), BigDecimal.TEN, BigDecimal.TEN, BigDecimal.TEN),
                new CohortCurve.Month(5, rub(200_000), rub(200_000), BigDecimal.TEN, BigDecimal.ZERO, BigDecimal.TEN),
                new CohortCurve.Month(9, rub(200_000), rub(200_000), BigDecimal.TEN, BigDecimal.ZERO, BigDecimal.TEN));
        CohortCurve.Result c = CohortCurve.of(new CohortCurve.Cohort(BigDecimal.TEN, months, 12, rub(50_000), rub(50_000)), 12, BigDecimal.valueOf(3));
        assertEquals(rub(5000), v(c.cacAds()));
        assertEquals(BigDecimal.valueOf(2), v(c.paybackMonthAds()));
        assertEquals(rub(54_000), v(c.ltvGrossProfit()));
        assertEquals(new BigDecimal("10.80"), v(c.ltvToCac()));
        assertEquals(new BigDecimal("100.00"), v(c.points().get(11).repeatPurchasePct()));
        assertEquals(new BigDecimal("4.00"), v(c.purchasesPerYear()), "40 purchases in 120 customer-months: 4 a year");
        assertEquals(rub(13_500 * 4 * 3), v(c.forecastLtvRevenue()), "FORECAST: 13,500 x 4 a year x 3 years");
        assertEquals(rub(13_500), v(c.averageOrderValue()));
    }

    @Test
    void aMergedCurveCountsAMonthOnlyOverTheCohortsThatReachedIt() {
        CohortCurve.Cohort old = new CohortCurve.Cohort(BigDecimal.ONE, List.of(new CohortCurve.Month(0, rub(100), rub(100), BigDecimal.ONE,
                BigDecimal.ZERO, BigDecimal.ONE), new CohortCurve.Month(1, rub(100), rub(100), BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE)), 2,
                BigDecimal.ZERO, BigDecimal.ZERO);
        CohortCurve.Cohort young = new CohortCurve.Cohort(BigDecimal.ONE, List.of(new CohortCurve.Month(0, rub(300), rub(300), BigDecimal.ONE,
                BigDecimal.ZERO, BigDecimal.ONE)), 1, BigDecimal.ZERO, BigDecimal.ZERO);
        CohortCurve.Result c = CohortCurve.merge(List.of(old, young), 12, BigDecimal.ONE);
        assertEquals(rub(200), v(c.points().get(0).cumulativeGrossProfitPerCustomer()), "(100 + 300) / 2");
        assertEquals(rub(200), v(c.points().get(1).cumulativeGrossProfitPerCustomer()), "only the old cohort has a month 1: 200 / 1");
    }
}
