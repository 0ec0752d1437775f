package io.throughline.reporting.store;

import io.smallrye.mutiny.Uni;
import io.throughline.reporting.domain.AdCost;
import io.throughline.commons.money.Money;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;

/** Ad costs keyed by day x source x campaign: a re-import of the same day overwrites, never adds. */
@ApplicationScoped
public class AdCostStore {

    private static final String UPSERT = """
            INSERT INTO ad_costs (tenant_id, day, source, campaign, amount_minor, currency, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (tenant_id, day, source, campaign)
            DO UPDATE SET amount_minor = EXCLUDED.amount_minor, currency = EXCLUDED.currency, updated_at = EXCLUDED.updated_at""";
    private static final String PAGE = """
            SELECT day, source, campaign, amount_minor, currency FROM ad_costs
            WHERE tenant_id = $1 AND day BETWEEN $2 AND $3 AND (day, source, campaign) > ($4, $5, $6)
            ORDER BY day, source, campaign LIMIT $7""";

    private final Pool pool;

    public AdCostStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<Integer> upsert(String tenantId, List<AdCost> costs) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Tuple> rows = new ArrayList<>(costs.size());
        for (AdCost c : costs) {
            rows.add(Tuple.from(List.of(tenantId, c.day(), c.source(), c.campaign(), c.amount().amountMinor(),
                    c.amount().currency().getCurrencyCode(), now)));
        }
        return pool.withTransaction(conn -> conn.preparedQuery(UPSERT).executeBatch(rows)).replaceWith(costs.size());
    }

    /** Costs in [from, to] after the given key, in key order. */
    public Uni<List<AdCost>> page(String tenantId, LocalDate from, LocalDate to, AdCostKey after, int limit) {
        AdCostKey start = after == null ? AdCostKey.BEFORE_ALL : after;
        return pool.preparedQuery(PAGE)
                .execute(Tuple.from(List.of(tenantId, from, to, start.day(), start.source(), start.campaign(), limit)))
                .map(rows -> {
                    List<AdCost> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new AdCost(r.getLocalDate("day"), r.getString("source"), r.getString("campaign"),
                                new Money(r.getLong("amount_minor"), Currency.getInstance(r.getString("currency").trim()))));
                    }
                    return out;
                });
    }

    /** A position in the (day, source, campaign) order, for cursors. */
    public record AdCostKey(LocalDate day, String source, String campaign) {

        static final AdCostKey BEFORE_ALL = new AdCostKey(LocalDate.of(1, 1, 1), "", "");

        public String encode() {
            return day + "\n" + source + "\n" + campaign;
        }

        public static AdCostKey decode(String value) {
            String[] parts = value.split("\n", 3);
            if (parts.length != 3) {
                throw new IllegalArgumentException("not a cost key");
            }
            return new AdCostKey(LocalDate.parse(parts[0]), parts[1], parts[2]);
        }
    }
}
