package io.throughline.reporting.domain.facts;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A customer's place in the cohorts. The cohort is the month (workspace zone) of the person's first payment of all; the
 * acquisition keys are the lead keys of the deal holding it, so repeat purchases that came without ads (no touchpoint,
 * direct) still count for the channel that acquired the customer. Every payment and refund of every deal of the person
 * adds its revenue and gross profit to the cohort by payment day (a purchase when it is a payment); each month in which
 * they paid counts them as active at that month's offset, and the month of their second purchase counts once.
 */
public final class CohortContributions {

    /** The customer: when they first paid, which cohort and acquisition keys that makes. */
    public record Customer(String person, Instant firstPaidAt, YearMonth cohortMonth, Keys keys) {
    }

    public record Result(Optional<Customer> customer, List<Contribution> contributions) {
    }

    private record Paid(DealFact deal, DealFact.Payment payment) {
    }

    private CohortContributions() {
    }

    public static Result of(String tenantZone, String person, List<DealFact> deals) {
        ZoneId zone = ZoneId.of(tenantZone);
        List<Paid> all = new ArrayList<>();
        deals.forEach(d -> d.payments().forEach(p -> all.add(new Paid(d, p))));
        all.sort(Comparator.comparing((Paid p) -> p.payment().paidAt()).thenComparing(p -> p.deal().dealId()).thenComparing(p -> p.payment().id()));
        Optional<Paid> first = all.stream().filter(p -> p.payment().amountMinor() > 0).findFirst();
        if (first.isEmpty()) {
            return new Result(Optional.empty(), List.of());
        }
        Instant firstAt = first.get().payment().paidAt();
        YearMonth cohort = YearMonth.from(firstAt.atZone(zone));
        Keys keys = first.get().deal().leadKeys();
        List<Contribution> out = new ArrayList<>();
        TreeSet<Long> activeOffsets = new TreeSet<>();
        int purchases = 0;
        Long secondOffset = null;
        for (Paid p : all) {
            long amount = p.payment().amountMinor();
            java.time.LocalDate day = p.payment().paidAt().atZone(zone).toLocalDate();
            long offset = ChronoUnit.MONTHS.between(cohort, YearMonth.from(day));
            if (offset < 0) {
                // A refund dated before the first payment (a data error): it still belongs to the customer's money.
                offset = 0;
            }
            List<Object> key = new ArrayList<>(List.of(cohort.atDay(1)));
            key.addAll(keys.values());
            key.add(day);
            key.add(p.deal().currency());
            BigDecimal gross = BigDecimal.valueOf(amount).multiply(BigDecimal.valueOf(p.deal().grossRatio())).setScale(6, RoundingMode.HALF_EVEN);
            out.add(new Contribution(AggregateTables.COHORT_REVENUE.name(), key, List.of(BigDecimal.valueOf(amount), gross,
                    BigDecimal.valueOf(amount > 0 ? 1 : 0))));
            if (amount > 0) {
                activeOffsets.add(offset);
                purchases++;
                if (purchases == 2) {
                    secondOffset = offset;
                }
            }
        }
        for (long offset : activeOffsets) {
            out.add(people(cohort, keys, offset, 1, secondOffset != null && secondOffset == offset ? 1 : 0));
        }
        if (secondOffset != null && !activeOffsets.contains(secondOffset)) {
            out.add(people(cohort, keys, secondOffset, 0, 1));
        }
        return new Result(Optional.of(new Customer(person, firstAt, cohort, keys)), out);
    }

    private static Contribution people(YearMonth cohort, Keys keys, long offset, long active, long second) {
        List<Object> key = new ArrayList<>(List.of(cohort.atDay(1)));
        key.addAll(keys.values());
        key.add((int) offset);
        return new Contribution(AggregateTables.COHORT_PEOPLE.name(), key, List.of(BigDecimal.valueOf(active), BigDecimal.valueOf(second)));
    }
}
