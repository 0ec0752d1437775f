package io.throughline.reporting.domain.metrics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * "What your ad cabinet says" against "what you earned" (metrics.md), as a waterfall: the naive value (every raw
 * lead a conversion at the believed conversion rate and check, last click) is replaced one cause at a time until it
 * is the real one (paid gross profit under the chosen model). Each step's share of the gap is the change of ROMI it
 * causes, in percentage points against the same ad cost; the steps add up to real minus naive exactly because each
 * is the difference of two consecutive (rounded) ROMIs. A last step adds the overheads (fully loaded cost).
 */
public final class NaiveVsReal {

    /** The bridge steps in order, as the report names them. */
    public static final List<String> STEPS = List.of("bots_and_junk", "duplicates_and_returning", "unpaid_deals", "average_check", "margin",
            "attribution_model", "overheads");

    /**
     * What one row (channel or campaign) counted. Leads are raw (forms and calls, bots and duplicates included), of
     * them junk (bot sessions' leads, refused contacts), and clean (unique people's first contacts, no returning
     * customers). Paid deals, revenue and gross profit are last-click figures except {@code modelGrossProfitMinor}.
     */
    public record Inputs(BigDecimal adCostMinor, BigDecimal fullCostMinor, BigDecimal rawLeads, BigDecimal junkLeads, BigDecimal cleanLeads,
            BigDecimal expectedConversionPct, BigDecimal expectedCheckMinor, BigDecimal lastClickPaidDeals, BigDecimal lastClickRevenueMinor,
            BigDecimal lastClickGrossProfitMinor, BigDecimal modelGrossProfitMinor) {
    }

    public record Step(String step, BigDecimal valueMinor, Figure romiPoints) {
    }

    public record Result(BigDecimal naiveValueMinor, Figure naiveRomi, Figure realRomi, Figure realRomiFullyLoaded, List<Step> bridge,
            Figure realConversionPct, Figure realCheckMinor, Figure marginPct) {
    }

    private NaiveVsReal() {
    }

    public static Result of(Inputs in) {
        BigDecimal believedPerLead = in.expectedCheckMinor().multiply(in.expectedConversionPct()).movePointLeft(2);
        BigDecimal v0 = in.rawLeads().multiply(believedPerLead);
        BigDecimal v1 = in.rawLeads().subtract(in.junkLeads()).multiply(believedPerLead);
        BigDecimal v2 = in.cleanLeads().multiply(believedPerLead);
        BigDecimal v3 = in.lastClickPaidDeals().multiply(in.expectedCheckMinor());
        BigDecimal v4 = in.lastClickRevenueMinor();
        BigDecimal v5 = in.lastClickGrossProfitMinor();
        BigDecimal v6 = in.modelGrossProfitMinor();
        BigDecimal[] values = {v0, v1, v2, v3, v4, v5, v6};
        BigDecimal cost = in.adCostMinor();
        List<Step> bridge = new ArrayList<>();
        for (int i = 1; i < values.length; i++) {
            bridge.add(new Step(STEPS.get(i - 1), values[i].subtract(values[i - 1]), points(values[i - 1], values[i], cost)));
        }
        Figure realAds = Formulas.romi(v6, cost);
        Figure realFull = Formulas.romi(v6, in.fullCostMinor());
        Figure overheads = realAds.present() && realFull.present() ? Figure.of(realFull.value().subtract(realAds.value()))
                : Figure.none(realAds.present() ? realFull.nullReason() : realAds.nullReason());
        bridge.add(new Step("overheads", in.fullCostMinor().subtract(cost).negate(), overheads));
        return new Result(v0.setScale(0, RoundingMode.HALF_EVEN), Formulas.romi(v0, cost), realAds, realFull, bridge,
                Formulas.percent(in.lastClickPaidDeals(), in.cleanLeads(), "no clean leads"),
                Formulas.perUnit(in.lastClickRevenueMinor(), in.lastClickPaidDeals(), "no paid deals"),
                Formulas.percent(in.lastClickGrossProfitMinor(), in.lastClickRevenueMinor(), "no revenue"));
    }

    /** How many ROMI points going from one value to the next is worth: the difference of the two rounded ROMIs. */
    private static Figure points(BigDecimal before, BigDecimal after, BigDecimal cost) {
        Figure a = Formulas.romi(before, cost);
        Figure b = Formulas.romi(after, cost);
        return a.present() ? Figure.of(b.value().subtract(a.value())) : a;
    }
}
