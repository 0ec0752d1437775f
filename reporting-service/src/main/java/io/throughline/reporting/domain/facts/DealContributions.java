package io.throughline.reporting.domain.facts;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * What one deal adds to the deal, funnel and manager aggregates. By its creation day and lead keys: one deal,
 * won (reached won or paid), lost, paid (any payment received), won but unpaid, without any touchpoint, its amount;
 * once in every canonical stage up to the furthest it reached (a payment means paid) and, lost, under its loss
 * reason; the time it spent in each stage it left for another. By its manager: the deal, whether and how fast they
 * responded (the first stage change after creation), won, paid, the cycle to the first payment, closed (won) and
 * closed after at most two touches; its payments by payment day.
 */
public final class DealContributions {

    static final List<String> FUNNEL = List.of("lead", "qualified", "proposal", "invoice", "won", "paid");
    /** At most this many journey touches make a deal "closed after few touches". */
    public static final int FEW_TOUCHES = 2;

    private DealContributions() {
    }

    public static List<Contribution> of(String tenantZone, DealFact d) {
        ZoneId zone = ZoneId.of(tenantZone);
        LocalDate day = d.createdAt().atZone(zone).toLocalDate();
        Keys keys = d.leadKeys();
        List<Contribution> out = new ArrayList<>();
        boolean won = d.won();
        boolean paid = d.paid();
        boolean lost = "lost".equals(d.status());
        boolean noTouch = d.journey() != null && d.journey().touches() == 0;
        List<Object> dealKey = new ArrayList<>(List.of(day));
        dealKey.addAll(keys.values());
        dealKey.add(d.currency());
        out.add(new Contribution(AggregateTables.DEAL_DAILY.name(), dealKey, n(1, won ? 1 : 0, lost ? 1 : 0, paid ? 1 : 0, won && !paid ? 1 : 0,
                noTouch ? 1 : 0, d.amountMinor())));

        int furthest = FUNNEL.indexOf(paid ? "paid" : won && FUNNEL.indexOf(d.furthestStage()) < FUNNEL.indexOf("won") ? "won" : d.furthestStage());
        furthest = Math.max(furthest, 0);
        java.util.Map<String, long[]> timeIn = timeInStages(d);
        for (int i = 0; i <= furthest; i++) {
            String stage = FUNNEL.get(i);
            long[] t = timeIn.getOrDefault(stage, new long[2]);
            out.add(funnel(day, keys, stage, "", 1, t[0], t[1]));
        }
        if (lost) {
            out.add(funnel(day, keys, "lost", d.lossReason() == null ? "" : d.lossReason(), 1, 0, 0));
        }

        String manager = d.manager() == null || d.manager().isBlank() ? "(none)" : d.manager();
        var response = d.firstResponseAt().map(at -> Duration.between(d.createdAt(), at).toSeconds());
        var cycle = d.firstPayment().map(p -> Math.max(0, Duration.between(d.createdAt(), p.paidAt()).toSeconds()));
        boolean few = won && d.journey() != null && d.journey().touches() <= FEW_TOUCHES;
        out.add(new Contribution(AggregateTables.MANAGER_DAILY.name(), List.of(day, manager), n(1, response.isPresent() ? 1 : 0, response.orElse(0L),
                won ? 1 : 0, paid ? 1 : 0, cycle.isPresent() ? 1 : 0, cycle.orElse(0L), won ? 1 : 0, few ? 1 : 0)));
        for (DealFact.Payment p : d.payments()) {
            out.add(new Contribution(AggregateTables.MANAGER_REVENUE.name(), List.of(p.paidAt().atZone(zone).toLocalDate(), manager, d.currency()),
                    n(p.amountMinor())));
        }
        return out;
    }

    /** Seconds spent in each canonical stage the deal later left for another, and how many times it left it. */
    static java.util.Map<String, long[]> timeInStages(DealFact d) {
        List<DealFact.Stage> entered = d.stages().stream().filter(s -> s.canonical() != null && !s.canonical().isBlank())
                .sorted(java.util.Comparator.comparing(DealFact.Stage::enteredAt)).toList();
        java.util.Map<String, long[]> out = new java.util.HashMap<>();
        for (int i = 0; i + 1 < entered.size(); i++) {
            DealFact.Stage s = entered.get(i);
            DealFact.Stage next = entered.get(i + 1);
            if (!s.canonical().equals(next.canonical())) {
                long[] t = out.computeIfAbsent(s.canonical(), k -> new long[2]);
                t[0] += Duration.between(s.enteredAt(), next.enteredAt()).toSeconds();
                t[1]++;
            }
        }
        return out;
    }

    private static Contribution funnel(LocalDate day, Keys keys, String stage, String reason, long deals, long seconds, long exits) {
        List<Object> key = new ArrayList<>(List.of(day));
        key.addAll(keys.values());
        key.add(stage);
        key.add(reason);
        return new Contribution(AggregateTables.FUNNEL_DAILY.name(), key, n(deals, seconds, exits));
    }

    static List<BigDecimal> n(long... values) {
        List<BigDecimal> out = new ArrayList<>(values.length);
        for (long v : values) {
            out.add(BigDecimal.valueOf(v));
        }
        return out;
    }
}
