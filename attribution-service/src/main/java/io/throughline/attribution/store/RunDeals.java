package io.throughline.attribution.store;

import io.throughline.attribution.domain.deals.DealSnapshot;
import io.throughline.attribution.domain.journeys.AttributionSettings;
import io.throughline.attribution.domain.journeys.DealFacts;
import io.throughline.commons.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Deals as attribution runs read them: which deals a run takes (every one, those changed since its base, those of
 * the persons it reached), a page at a time, and their facts for journeys. {@link Deals} writes them.
 */
@ApplicationScoped
public class RunDeals {

    private final DataSource db;

    public RunDeals(DataSource db) {
        this.db = db;
    }

    /** A deal as a run reads it: its facts for journeys, its contact (to resolve the person) and when it last changed. */
    public record ForRun(DealFacts facts, DealSnapshot.Contact contact, Instant changedAt) {
    }

    /** Which deals a page of a run's reading holds (always those created up to the cut-off, in id order). */
    public enum Pick {
        /** Every deal: a full run. */
        ALL,
        /**
         * Deals an incremental version recomputes for themselves: not in its base, changed after the base read them, or
         * with a milestone (created, opportunity, won) or a payment or refund after the base's cut-off.
         */
        CHANGED_SINCE_BASE,
        /** Deals in the base whose person there is among the run's affected persons and that the run has not taken yet. */
        REACHED
    }

    /** A deal a run takes: its contact (to resolve the person by) and who its person was in the base version (null: not there). */
    public record Candidate(UUID id, DealSnapshot.Contact contact, String basePersonKey) {
    }

    /** A deal's milestones (as {@link #forRun(String, Instant, AttributionSettings, UUID[])} defines them), for the run's cut-off (the last parameter). */
    private static final String MILESTONES = " " + """
             LEFT JOIN LATERAL (SELECT min(s.entered_at) AS first_stage_at,
                       min(s.entered_at) FILTER (WHERE s.canonical_stage IN ('qualified', 'proposal', 'invoice')) AS opportunity_at,
                       min(s.entered_at) FILTER (WHERE s.canonical_stage IN ('won', 'paid')) AS won_stage_at
                  FROM deal_stages s WHERE s.deal_id = d.id) m ON true""";

    /**
     * Selects the deals an incremental version takes in this step ({@link Pick#CHANGED_SINCE_BASE} or
     * {@link Pick#REACHED}: the workspace's deals created up to the run's cut-off that {@code pick} names) in one
     * statement, for {@link #toRun} to read a page at a time; answers how many.
     */
    public int select(Runs.Run run, Runs.Run base, Pick pick) {
        List<Object> params = new ArrayList<>(List.of(run.id()));
        params.addAll(List.of(Runs.visible(base)));
        params.addAll(List.of(run.tenantId(), run.cutoff()));
        String won = "COALESCE(m.won_stage_at, CASE WHEN d.status = 'won' THEN d.crm_updated_at END)";
        String from = " FROM deals d LEFT JOIN run_deals b ON b.deal_id = d.id AND " + Runs.visibleAs("b");
        String where = switch (pick) {
            case ALL -> throw new IllegalArgumentException("a full run reads every deal");
            case CHANGED_SINCE_BASE -> {
                from += MILESTONES;
                Instant was = base.cutoff();
                params.addAll(List.of(was, was, was, run.cutoff(), was, run.cutoff()));
                yield " AND (b.deal_id IS NULL OR d.changed_at > b.deal_changed_at OR COALESCE(d.crm_created_at, m.first_stage_at, d.crm_updated_at) > ?"
                        + " OR m.opportunity_at > ? OR " + won + " > ? AND " + won + " <= ?"
                        + " OR EXISTS (SELECT 1 FROM deal_payments p WHERE p.deal_id = d.id AND p.paid_at > ? AND p.paid_at <= ?))";
            }
            case REACHED -> {
                params.addAll(List.of(run.id(), run.id()));
                yield " AND b.person_key IN (SELECT a.person_key FROM run_affected a WHERE a.run_id = ?)"
                        + " AND NOT EXISTS (SELECT 1 FROM run_people r WHERE r.run_id = ? AND r.deal_id = d.id)";
            }
        };
        String sql = "INSERT INTO run_candidates (run_id, deal_id, base_person_key) SELECT ?, d.id, b.person_key" + from
                + " WHERE d.tenant_id = ? AND COALESCE(d.crm_created_at, d.crm_updated_at) <= ?" + where;
        return Sql.transaction(db, c -> {
            Sql.update(c, "DELETE FROM run_candidates WHERE run_id = ?", run.id());
            int selected = Sql.update(c, sql, params.toArray());
            if (selected > 10_000) {
                Sql.update(c, "ANALYZE run_candidates"); // read back by key ranges: the planner must know it is not empty
            }
            return selected;
        });
    }

    /**
     * One page of the deals a run takes, after {@code afterId} in id order: every deal created up to the cut-off for
     * {@link Pick#ALL}, else those {@link #select} chose.
     */
    public List<Candidate> toRun(Runs.Run run, Pick pick, UUID afterId, int limit) {
        UUID after = afterId == null ? new UUID(0, 0) : afterId;
        return Sql.statements(db, c -> pick == Pick.ALL
                ? Sql.query(c, """
                        SELECT d.id, d.contact, NULL FROM deals d WHERE d.tenant_id = ? AND COALESCE(d.crm_created_at, d.crm_updated_at) <= ? AND d.id > ?
                         ORDER BY d.id LIMIT ?""", RunDeals::candidate, run.tenantId(), run.cutoff(), after, limit)
                : Sql.query(c, """
                        SELECT d.id, d.contact, k.base_person_key FROM run_candidates k JOIN deals d ON d.id = k.deal_id
                         WHERE k.run_id = ? AND k.deal_id > ? ORDER BY k.deal_id LIMIT ?""", RunDeals::candidate, run.id(), after, limit));
    }

    private static Candidate candidate(ResultSet rs) throws SQLException {
        return new Candidate(rs.getObject(1, UUID.class), Deals.contact(rs.getString(2)), rs.getString(3));
    }

    /**
     * These deals (those created up to the cut-off) with their milestones (opportunity: first entered qualified,
     * proposal or invoice; won: first entered won or paid, else the last update of a deal whose status is won) and
     * their payments and refunds up to the cut-off. {@code personKey} is left empty: the run resolves it.
     */
    public List<ForRun> forRun(String tenantId, Instant cutoff, AttributionSettings settings, UUID[] ids) {
        record Row(UUID id, String currency, Instant createdAt, Instant opportunityAt, Instant wonAt, Long costMinor, long amountMinor,
                String productLine, DealSnapshot.Contact contact, Instant changedAt) {
        }
        return Sql.transaction(db, c -> {
            // One snapshot for deals and payments: a deal stored between the two reads must not look unpaid to a run
            // (an incremental version would inherit that forever, the deal's change being older than the run).
            Sql.update(c, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            List<Row> rows = Sql.query(c, "SELECT d.*, m.*" + " FROM deals d" + MILESTONES
                    + " WHERE d.tenant_id = ? AND COALESCE(d.crm_created_at, d.crm_updated_at) <= ? AND d.id = ANY(?) ORDER BY d.id", rs -> {
                Instant created = Sql.instant(rs, "crm_created_at");
                Instant firstStage = Sql.instant(rs, "first_stage_at");
                Instant updated = Sql.instant(rs, "crm_updated_at");
                Instant won = Sql.instant(rs, "won_stage_at");
                if (won == null && "won".equals(rs.getString("status"))) {
                    won = updated;
                }
                return new Row(rs.getObject("id", UUID.class), rs.getString("currency"), created != null ? created : firstStage != null ? firstStage : updated,
                        Sql.instant(rs, "opportunity_at"), won != null && !won.isAfter(cutoff) ? won : null, (Long) rs.getObject("cost_minor"),
                        rs.getLong("amount_minor"), rs.getString("product_line"), Deals.contact(rs.getString("contact")), Sql.instant(rs, "changed_at"));
            }, tenantId, cutoff, ids);
            Map<UUID, List<DealFacts.MoneyEvent>> money = new HashMap<>();
            Sql.query(c, """
                    SELECT deal_id, external_id, amount_minor, paid_at FROM deal_payments WHERE deal_id = ANY(?) AND paid_at <= ?
                     ORDER BY paid_at, external_id""", rs -> money.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                    .add(new DealFacts.MoneyEvent(rs.getString(2), rs.getLong(3), Sql.instant(rs, "paid_at"))), ids, cutoff);
            List<ForRun> out = new ArrayList<>(rows.size());
            for (Row r : rows) {
                DealFacts facts = new DealFacts(r.id(), "", r.currency(), r.createdAt(), r.opportunityAt(), r.wonAt(), money.getOrDefault(r.id(), List.of()),
                        settings.grossRatio(r.costMinor(), r.amountMinor(), r.productLine()));
                out.add(new ForRun(facts, r.contact(), r.changedAt()));
            }
            return out;
        });
    }

}
