package io.throughline.reporting.api;

import io.throughline.reporting.domain.metrics.Formulas;
import io.throughline.reporting.store.ReportQueries;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Data quality by channel (or any keys): what the ad cabinet counts that money does not: bot sessions, junk leads,
 * duplicates, returning customers, unpaid deals, unmatched and spam calls, deals without any touchpoint.
 */
@ApplicationScoped
class QualityReport {

    private final ReportQueries queries;

    QualityReport(ReportQueries queries) {
        this.queries = queries;
    }

    ReportOutput build(ReportContext ctx) {
        String currency = ctx.settings.currency();
        ReportQueries.Filter filter = ctx.filter("");
        RowSums sums = new RowSums();
        sums.add(ctx, ctx.cells(queries, ReportQueries.TRAFFIC, filter, ctx.groupBy), ReportQueries.TRAFFIC);
        sums.add(ctx, ctx.cells(queries, ReportQueries.LEADS, filter, ctx.groupBy), ReportQueries.LEADS);
        sums.add(ctx, ctx.cells(queries, ReportQueries.DEALS, filter, ctx.groupBy), ReportQueries.DEALS);
        sums.add(ctx, ctx.cells(queries, ReportQueries.CALLS, filter, ctx.groupBy), ReportQueries.CALLS);
        List<Map<String, Object>> rows = new ArrayList<>();
        sums.rows().forEach((keys, s) -> rows.add(row(ctx, keys, s)));
        List<ReportTable.Column> columns = new ArrayList<>();
        ctx.groupBy.forEach(k -> columns.add(ReportTable.key(k)));
        columns.addAll(List.of(ReportTable.count("sessions", "human sessions"), ReportTable.count("bot_sessions", "sessions flagged as bots"),
                ReportTable.percent("bot_share_pct", "bot_sessions / all sessions x 100"),
                ReportTable.count("leads_raw", "form leads and inbound calls"), ReportTable.count("junk_leads", "bots' leads, refused contacts, spam calls"),
                ReportTable.percent("junk_share_pct", "junk_leads / leads_raw x 100"),
                ReportTable.count("duplicates", "further contacts of people who already contacted in the period"),
                ReportTable.count("returning_customers", "contacts of people who had paid before"), ReportTable.count("leads", "clean leads"),
                ReportTable.count("deals", "deals created"), ReportTable.count("unpaid_deals", "deals created without any payment (yet)"),
                ReportTable.count("won_unpaid_deals", "won in the CRM but no money received"),
                ReportTable.count("deals_without_touchpoint", "deals whose journey has no session or call at all"),
                ReportTable.count("calls", "inbound calls"), ReportTable.count("unmatched_calls", "inbound calls no session or static number explains"),
                ReportTable.count("spam_calls", "calls judged spam")));
        return new ReportOutput(new ReportTable(columns, ctx.currencyDigits()), rows, row(ctx, ctx.groupBy.stream().map(k -> "(all)").toList(),
                sums.totals()), ChannelReport.meta(ctx, "data-quality"), "-leads_raw");
    }

    private static Map<String, Object> row(ReportContext ctx, List<String> keys, Map<String, BigDecimal> s) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < ctx.groupBy.size(); i++) {
            row.put(ctx.groupBy.get(i), keys.get(i));
        }
        BigDecimal sessions = RowSums.get(s, "sessions");
        BigDecimal bots = RowSums.get(s, "bot_sessions");
        row.put("sessions", sessions);
        row.put("bot_sessions", bots);
        row.put("bot_share_pct", Formulas.percent(bots, sessions.add(bots), "no sessions"));
        row.put("leads_raw", RowSums.get(s, "leads_raw"));
        row.put("junk_leads", RowSums.get(s, "junk_leads"));
        row.put("junk_share_pct", Formulas.percent(RowSums.get(s, "junk_leads"), RowSums.get(s, "leads_raw"), "no leads"));
        row.put("duplicates", RowSums.get(s, "duplicates"));
        row.put("returning_customers", RowSums.get(s, "returning_customers"));
        row.put("leads", RowSums.get(s, "leads"));
        row.put("deals", RowSums.get(s, "deals"));
        row.put("unpaid_deals", RowSums.get(s, "deals").subtract(RowSums.get(s, "paid_deals_created")));
        row.put("won_unpaid_deals", RowSums.get(s, "won_unpaid_deals"));
        row.put("deals_without_touchpoint", RowSums.get(s, "deals_without_touchpoint"));
        row.put("calls", RowSums.get(s, "inbound_calls"));
        row.put("unmatched_calls", RowSums.get(s, "unmatched_calls"));
        row.put("spam_calls", RowSums.get(s, "spam_calls"));
        return row;
    }
}
