package io.throughline.reporting.domain.metrics;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Overheads (salaries, tools, agency and payment commissions, bonuses) allocated to report rows, so that every money
 * report has an "ads only" and a "fully loaded" cost. A month's items are either an amount (spread evenly over the
 * month's days, so a period holding part of a month carries that part) or a percentage of that month's ad spend (an
 * agency commission). An item may name its channel (it then goes to that channel's rows only); the others are
 * allocated by the workspace's rule: by spend share, lead share, paid-deal share, or fixed shares per channel. Within
 * a channel, rows share by the rule's basis (fixed shares and an item's own channel: by spend), falling back to
 * whatever basis the channel has. What cannot be allocated (a month without any spend,
 * a channel without any basis, fixed shares summing below 100) is reported as unallocated, never dropped.
 */
public final class Overheads {

    private static final MathContext WIDE = new MathContext(34, RoundingMode.HALF_EVEN);

    public enum Rule {
        SPEND_SHARE, LEAD_SHARE, PAID_DEAL_SHARE, FIXED_SHARES;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static java.util.Optional<Rule> fromCode(String code) {
            for (Rule r : values()) {
                if (r.code().equals(code)) {
                    return java.util.Optional.of(r);
                }
            }
            return java.util.Optional.empty();
        }
    }

    /** One overhead of a month, in the workspace currency: an amount, or a percent of the month's ad spend. */
    public record Item(YearMonth month, String category, BigDecimal amountMinor, BigDecimal percentOfSpend, String channel) {
    }

    /** What overheads are allocated by: ad spend (minor units), leads and paid deals. */
    public record Basis(BigDecimal spendMinor, BigDecimal leads, BigDecimal paidDeals) {

        public static final Basis ZERO = new Basis(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

        public Basis plus(Basis o) {
            return new Basis(spendMinor.add(o.spendMinor), leads.add(o.leads), paidDeals.add(o.paidDeals));
        }

        BigDecimal of(Rule rule) {
            return switch (rule) {
                case LEAD_SHARE -> leads;
                case PAID_DEAL_SHARE -> paidDeals;
                default -> spendMinor;
            };
        }
    }

    /** A row's share of one channel in one month: the row's basis there. */
    public record Cell<K>(K row, String channel, YearMonth month, Basis basis) {
    }

    /** Per row, the allocated overhead (fractional minor units); and what no row could take. */
    public record Allocation<K>(Map<K, BigDecimal> byRow, BigDecimal unallocatedMinor) {
    }

    private Overheads() {
    }

    /** The share of {@code month} that lies within [from, to] (dates inclusive). */
    public static BigDecimal fractionOf(YearMonth month, LocalDate from, LocalDate to) {
        LocalDate start = month.atDay(1).isBefore(from) ? from : month.atDay(1);
        LocalDate end = month.atEndOfMonth().isAfter(to) ? to : month.atEndOfMonth();
        if (end.isBefore(start)) {
            return BigDecimal.ZERO;
        }
        long days = ChronoUnit.DAYS.between(start, end) + 1;
        return BigDecimal.valueOf(days).divide(BigDecimal.valueOf(month.lengthOfMonth()), WIDE);
    }

    /**
     * Allocates the items of each month of [from, to] to the cells (rows x channel x month). {@code workspace} and
     * {@code byChannel} are the bases of the whole workspace in the period's part of each month, whatever the report
     * filters: a row's share is its part of the workspace, not of what the report shows.
     */
    public static <K> Allocation<K> allocate(Rule rule, Map<String, BigDecimal> fixedSharesPct, List<Item> items, LocalDate from, LocalDate to,
            Map<YearMonth, Basis> workspace, Map<YearMonth, Map<String, Basis>> byChannel, List<Cell<K>> cells) {
        Map<K, BigDecimal> out = new HashMap<>();
        BigDecimal unallocated = BigDecimal.ZERO;
        Map<YearMonth, List<Item>> byMonth = new HashMap<>();
        items.forEach(i -> byMonth.computeIfAbsent(i.month(), m -> new java.util.ArrayList<>()).add(i));
        for (Map.Entry<YearMonth, List<Item>> e : byMonth.entrySet()) {
            YearMonth month = e.getKey();
            BigDecimal fraction = fractionOf(month, from, to);
            if (fraction.signum() == 0) {
                continue;
            }
            Basis ws = workspace.getOrDefault(month, Basis.ZERO);
            Map<String, Basis> channels = byChannel.getOrDefault(month, Map.of());
            BigDecimal general = BigDecimal.ZERO;
            Map<String, BigDecimal> direct = new HashMap<>();
            for (Item item : e.getValue()) {
                boolean own = item.channel() != null && !item.channel().isBlank();
                BigDecimal amount = item.percentOfSpend() != null
                        ? item.percentOfSpend().movePointLeft(2).multiply(own ? channels.getOrDefault(item.channel(), Basis.ZERO).spendMinor() : ws.spendMinor())
                        : item.amountMinor().multiply(fraction);
                if (own) {
                    direct.merge(item.channel(), amount, BigDecimal::add);
                } else {
                    general = general.add(amount);
                }
            }
            // Channel shares of the general pool, then each channel's pool (its share + its own items) within it.
            Map<String, BigDecimal> channelPool = new HashMap<>(direct);
            if (rule == Rule.FIXED_SHARES) {
                BigDecimal given = BigDecimal.ZERO;
                for (Map.Entry<String, BigDecimal> s : fixedSharesPct.entrySet()) {
                    BigDecimal part = general.multiply(s.getValue()).movePointLeft(2);
                    channelPool.merge(s.getKey(), part, BigDecimal::add);
                    given = given.add(part);
                }
                unallocated = unallocated.add(general.subtract(given));
            } else {
                BigDecimal total = ws.of(rule);
                if (total.signum() == 0) {
                    unallocated = unallocated.add(general);
                } else {
                    for (Map.Entry<String, Basis> c : channels.entrySet()) {
                        channelPool.merge(c.getKey(), general.multiply(c.getValue().of(rule)).divide(total, WIDE), BigDecimal::add);
                    }
                }
            }
            for (Map.Entry<String, BigDecimal> pool : channelPool.entrySet()) {
                Rule within = withinRule(channels.getOrDefault(pool.getKey(), Basis.ZERO), rule);
                if (within == null) {
                    unallocated = unallocated.add(pool.getValue());
                    continue;
                }
                BigDecimal channelTotal = channels.get(pool.getKey()).of(within);
                for (Cell<K> cell : cells) {
                    if (cell.month().equals(month) && pool.getKey().equals(cell.channel())) {
                        BigDecimal share = pool.getValue().multiply(cell.basis().of(within)).divide(channelTotal, WIDE);
                        out.merge(cell.row(), share, BigDecimal::add);
                    }
                }
            }
        }
        return new Allocation<>(out, unallocated);
    }

    /**
     * How rows share a channel's pool: by the rule's own basis when the channel has any (fixed shares: spend), else
     * by spend, leads, paid deals, whichever the channel has; null when it has none.
     */
    private static Rule withinRule(Basis channel, Rule rule) {
        if (rule != Rule.FIXED_SHARES && channel.of(rule).signum() > 0) {
            return rule;
        }
        if (channel.spendMinor().signum() > 0) {
            return Rule.SPEND_SHARE;
        }
        if (channel.leads().signum() > 0) {
            return Rule.LEAD_SHARE;
        }
        if (channel.paidDeals().signum() > 0) {
            return Rule.PAID_DEAL_SHARE;
        }
        return null;
    }
}
