package io.throughline.reporting.store;

import io.throughline.commons.sql.Sql;
import io.throughline.reporting.domain.rates.ExchangeRates;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** A workspace's daily exchange rates; a rate given again for the same day replaces the stored one. */
@ApplicationScoped
public class RateStore {

    public record Stored(LocalDate day, String base, String quote, java.math.BigDecimal rate, String source) {
    }

    private final DataSource db;

    public RateStore(DataSource db) {
        this.db = db;
    }

    /** Stores the rates; answers how many were new (the others replaced a stored rate). */
    public int upsert(String tenantId, List<ExchangeRates.Rate> rates, String source) {
        return Sql.transaction(db, c -> {
            int inserted = 0;
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO exchange_rates AS r (tenant_id, day, base, quote, rate, source) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (tenant_id, base, quote, day) DO UPDATE SET rate = EXCLUDED.rate, source = EXCLUDED.source
                    RETURNING (xmax = 0)""")) {
                for (ExchangeRates.Rate r : rates) {
                    s.setString(1, tenantId);
                    s.setDate(2, Date.valueOf(r.day()));
                    s.setString(3, r.base());
                    s.setString(4, r.quote());
                    s.setBigDecimal(5, r.value());
                    s.setString(6, source);
                    try (var rs = s.executeQuery()) {
                        if (rs.next() && rs.getBoolean(1)) {
                            inserted++;
                        }
                    }
                }
            }
            return inserted;
        });
    }

    /** The rates a conversion of days in [from, to] may use (from reaches back by the carry-over limit). */
    public ExchangeRates load(String tenantId, LocalDate from, LocalDate to, int maxAgeDays) {
        return new ExchangeRates(Sql.transaction(db, c -> Sql.query(c, "SELECT day, base, quote, rate FROM exchange_rates WHERE tenant_id = ? AND day"
                + " BETWEEN ? AND ?", rs -> new ExchangeRates.Rate(rs.getDate("day").toLocalDate(), rs.getString("base").trim(), rs.getString("quote").trim(),
                rs.getBigDecimal("rate")), tenantId, from.minusDays(maxAgeDays), to)), maxAgeDays);
    }

    public List<Stored> list(String tenantId, LocalDate from, LocalDate to, String currency) {
        return Sql.transaction(db, c -> new ArrayList<>(Sql.query(c, """
                SELECT * FROM exchange_rates WHERE tenant_id = ? AND day BETWEEN ? AND ? AND (CAST(? AS text) IS NULL OR base = ? OR quote = ?)
                 ORDER BY day, base, quote LIMIT 10000""", rs -> new Stored(rs.getDate("day").toLocalDate(), rs.getString("base").trim(),
                rs.getString("quote").trim(), rs.getBigDecimal("rate").stripTrailingZeros(), rs.getString("source")), tenantId, from, to, currency, currency,
                currency)));
    }
}
