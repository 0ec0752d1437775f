package io.throughline.reporting.domain.metrics;

import java.math.BigDecimal;

/**
 * The money figures of one report row (a channel, campaign or keyword, or any grouping of them) from its totals: the
 * per-unit costs and returns of metrics.md, each "ads only" (ad spend) and "fully loaded" (plus allocated overheads).
 * Revenue, gross profit, paid deals and new customers are the attribution model's credits; leads are clean leads.
 */
public record ChannelFigures(BigDecimal costFullMinor, Figure cpc, Figure cplAds, Figure cplFull, Figure cpoAds, Figure cpoFull, Figure cacAds,
        Figure cacFull, Figure roasAds, Figure roasFull, Figure romiAds, Figure romiFull, Figure romiRevenueAds, Figure romiRevenueFull,
        Figure averageCheck) {

    public record Totals(BigDecimal spendMinor, BigDecimal overheadMinor, BigDecimal clicks, BigDecimal leads, BigDecimal deals,
            BigDecimal paidDeals, BigDecimal newCustomers, BigDecimal revenueMinor, BigDecimal grossProfitMinor) {
    }

    public static ChannelFigures of(Totals t) {
        BigDecimal full = t.spendMinor().add(t.overheadMinor());
        return new ChannelFigures(full, Formulas.cpc(t.spendMinor(), t.clicks()), Formulas.cpl(t.spendMinor(), t.leads()),
                Formulas.cpl(full, t.leads()), Formulas.cpo(t.spendMinor(), t.deals()), Formulas.cpo(full, t.deals()),
                Formulas.cac(t.spendMinor(), t.newCustomers()), Formulas.cac(full, t.newCustomers()), Formulas.roas(t.revenueMinor(), t.spendMinor()),
                Formulas.roas(t.revenueMinor(), full), Formulas.romi(t.grossProfitMinor(), t.spendMinor()), Formulas.romi(t.grossProfitMinor(), full),
                Formulas.romi(t.revenueMinor(), t.spendMinor()), Formulas.romi(t.revenueMinor(), full),
                Formulas.perUnit(t.revenueMinor(), t.paidDeals(), "no paid deals"));
    }
}
