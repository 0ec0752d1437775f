package io.throughline.reporting.domain.facts;

import java.util.List;
import java.util.Map;

/** The aggregate tables facts contribute to: their key columns (after the workspace) and measure columns, in order. */
public final class AggregateTables {

    public record Table(String name, List<String> keys, List<String> measures) {
    }

    private static final List<String> K = Keys.COLUMNS;

    public static final Table DEAL_DAILY = new Table("deal_daily", cat(List.of("day"), K, List.of("currency")),
            List.of("deals", "won", "lost", "paid", "won_unpaid", "no_touchpoint", "amount_minor"));
    public static final Table FUNNEL_DAILY = new Table("funnel_daily", cat(List.of("day"), K, List.of("stage", "loss_reason")),
            List.of("deals", "stage_seconds", "stage_exits"));
    public static final Table MANAGER_DAILY = new Table("manager_daily", List.of("day", "manager"),
            List.of("deals", "responded", "response_seconds", "won", "paid", "cycles", "cycle_seconds", "closed", "closed_few_touches"));
    public static final Table MANAGER_REVENUE = new Table("manager_revenue", List.of("day", "manager", "currency"), List.of("revenue_minor"));
    public static final Table COHORT_REVENUE = new Table("cohort_revenue", cat(List.of("cohort_month"), K, List.of("day", "currency")),
            List.of("revenue_minor", "gross_profit_minor", "purchases"));
    public static final Table COHORT_PEOPLE = new Table("cohort_people", cat(List.of("cohort_month"), K, List.of("offset_month")),
            List.of("active", "second_purchases"));

    public static final Map<String, Table> BY_NAME = Map.of(DEAL_DAILY.name(), DEAL_DAILY, FUNNEL_DAILY.name(), FUNNEL_DAILY, MANAGER_DAILY.name(),
            MANAGER_DAILY, MANAGER_REVENUE.name(), MANAGER_REVENUE, COHORT_REVENUE.name(), COHORT_REVENUE, COHORT_PEOPLE.name(), COHORT_PEOPLE);

    private AggregateTables() {
    }

    @SafeVarargs
    private static List<String> cat(List<String>... parts) {
        List<String> out = new java.util.ArrayList<>();
        for (List<String> p : parts) {
            out.addAll(p);
        }
        return List.copyOf(out);
    }
}
