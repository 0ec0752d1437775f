package io.throughline.reporting.api;

import io.throughline.reporting.domain.metrics.Overheads;
import io.throughline.reporting.store.OverheadStore;
import io.throughline.reporting.store.ReportQueries;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Overheads allocated to report rows by the workspace's rule (metrics.md: "fully loaded" cost). A row's share is its
 * part of the whole workspace's basis in each month of the period (spend, clean leads or the model's paid deals), not
 * of what the report's filters show; what cannot be allocated is counted as unallocated.
 */
@ApplicationScoped
class CostAllocation {

    /** Per row and month, the overhead it carries (minor units); and the allocated and unallocated totals. */
    record Result(Map<List<String>, Map<YearMonth, BigDecimal>> byRow, BigDecimal allocatedMinor, BigDecimal unallocatedMinor) {

        BigDecimal of(List<String> row) {
            return byRow.getOrDefault(row, Map.of()).values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        }
    }

    private final ReportQueries queries;
    private final OverheadStore overheads;

    CostAllocation(ReportQueries queries, OverheadStore overheads) {
        this.queries = queries;
        this.overheads = overheads;
    }

    /** Allocates the overheads of [from, to] to the rows the cells (filtered, grouped by the report's keys) make. */
    Result allocate(ReportContext ctx, LocalDate from, LocalDate to, List<ReportQueries.Cell> spend, List<ReportQueries.Cell> leads,
            List<ReportQueries.Cell> credits) {
        List<OverheadStore.Item> stored = overheads.between(ctx.tenantId, YearMonth.from(from), YearMonth.from(to));
        if (stored.isEmpty()) {
            return new Result(Map.of(), BigDecimal.ZERO, BigDecimal.ZERO);
        }
        List<Overheads.Item> items = new ArrayList<>();
        for (OverheadStore.Item i : stored) {
            BigDecimal amount = i.amountMinor() == null ? null : ctx.convert(BigDecimal.valueOf(i.amountMinor()), i.currency(), i.month().atDay(1));
            items.add(new Overheads.Item(i.month(), i.category(), amount, i.percentOfSpend(), i.channel()));
        }
        ReportQueries.Filter all = new ReportQueries.Filter(from, to, Map.of(), null, ctx.model == null ? "" : ctx.model.series());
        Map<YearMonth, Overheads.Basis> workspace = new HashMap<>();
        Map<YearMonth, Map<String, Overheads.Basis>> byChannel = new HashMap<>();
        String currency = ctx.settings.currency();
        for (ReportQueries.Cell c : ctx.cells(queries, ReportQueries.SPEND, all, List.of())) {
            BigDecimal cost = ctx.quietly(() -> ctx.money(c, "cost"));
            add(workspace, byChannel, c, new Overheads.Basis(cost, BigDecimal.ZERO, BigDecimal.ZERO));
        }
        for (ReportQueries.Cell c : ctx.cells(queries, ReportQueries.LEADS, all, List.of())) {
            add(workspace, byChannel, c, new Overheads.Basis(BigDecimal.ZERO, c.measures().get("leads"), BigDecimal.ZERO));
        }
        if (ctx.model != null) {
            for (ReportQueries.Cell c : ctx.cells(queries, ReportQueries.CREDITS, all, List.of())) {
                add(workspace, byChannel, c, new Overheads.Basis(BigDecimal.ZERO, BigDecimal.ZERO, c.measures().get("paid_deals")));
            }
        }
        Map<List<Object>, Overheads.Basis> cellBasis = new HashMap<>();
        spend.forEach(c -> cellBasis.merge(cellKey(c), new Overheads.Basis(ctx.money(c, "cost"), BigDecimal.ZERO, BigDecimal.ZERO),
                Overheads.Basis::plus));
        leads.forEach(c -> cellBasis.merge(cellKey(c), new Overheads.Basis(BigDecimal.ZERO, c.measures().get("leads"), BigDecimal.ZERO),
                Overheads.Basis::plus));
        credits.forEach(c -> cellBasis.merge(cellKey(c), new Overheads.Basis(BigDecimal.ZERO, BigDecimal.ZERO, c.measures().get("paid_deals")),
                Overheads.Basis::plus));
        List<Overheads.Cell<List<Object>>> cells = new ArrayList<>();
        cellBasis.forEach((k, b) -> cells.add(new Overheads.Cell<>(k, (String) k.get(1), (YearMonth) k.get(2), b)));
        Overheads.Allocation<List<Object>> a = Overheads.allocate(ctx.settings.overheadRule(), ctx.settings.fixedSharesPct(), items, from, to, workspace,
                byChannel, cells);
        Map<List<String>, Map<YearMonth, BigDecimal>> byRow = new HashMap<>();
        BigDecimal allocated = BigDecimal.ZERO;
        for (Map.Entry<List<Object>, BigDecimal> e : a.byRow().entrySet()) {
            @SuppressWarnings("unchecked")
            List<String> row = (List<String>) e.getKey().get(0);
            byRow.computeIfAbsent(row, r -> new HashMap<>()).merge((YearMonth) e.getKey().get(2), e.getValue(), BigDecimal::add);
            allocated = allocated.add(e.getValue());
        }
        return new Result(byRow, allocated, a.unallocatedMinor());
    }

    private static List<Object> cellKey(ReportQueries.Cell c) {
        return List.of(c.keys(), c.channel(), c.month());
    }

    private static void add(Map<YearMonth, Overheads.Basis> workspace, Map<YearMonth, Map<String, Overheads.Basis>> byChannel, ReportQueries.Cell c,
            Overheads.Basis b) {
        workspace.merge(c.month(), b, Overheads.Basis::plus);
        byChannel.computeIfAbsent(c.month(), m -> new HashMap<>()).merge(c.channel(), b, Overheads.Basis::plus);
    }
}
