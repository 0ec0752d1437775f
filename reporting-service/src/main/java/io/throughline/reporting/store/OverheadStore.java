package io.throughline.reporting.store;

import io.throughline.commons.id.Ids;
import io.throughline.commons.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Date;
import java.time.YearMonth;
import java.util.List;
import javax.sql.DataSource;

/** Overheads per month; a month's items are replaced as a whole (an idempotent put). */
@ApplicationScoped
public class OverheadStore {

    /** One item: an amount in a currency, or a percent of the month's ad spend; optionally one channel's. */
    public record Item(YearMonth month, String category, Long amountMinor, String currency, BigDecimal percentOfSpend, String channel, String note) {
    }

    private final DataSource db;

    public OverheadStore(DataSource db) {
        this.db = db;
    }

    public void replaceMonth(String tenantId, YearMonth month, List<Item> items) {
        Sql.transaction(db, c -> {
            Sql.update(c, "DELETE FROM overheads WHERE tenant_id = ? AND month = ?", tenantId, Date.valueOf(month.atDay(1)));
            for (Item i : items) {
                Sql.update(c, """
                        INSERT INTO overheads (id, tenant_id, month, category, amount_minor, currency, percent_of_spend, channel, note, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now())""", Ids.newId(), tenantId, Date.valueOf(month.atDay(1)), i.category(), i.amountMinor(),
                        i.currency(), i.percentOfSpend(), i.channel(), i.note());
            }
            return null;
        });
    }

    public List<Item> between(String tenantId, YearMonth from, YearMonth to) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM overheads WHERE tenant_id = ? AND month BETWEEN ? AND ? ORDER BY month, category, id",
                rs -> new Item(YearMonth.from(rs.getDate("month").toLocalDate()), rs.getString("category"), (Long) rs.getObject("amount_minor"),
                        rs.getString("currency") == null ? null : rs.getString("currency").trim(), rs.getBigDecimal("percent_of_spend"),
                        rs.getString("channel"), rs.getString("note")), tenantId, Date.valueOf(from.atDay(1)), Date.valueOf(to.atDay(1))));
    }
}
