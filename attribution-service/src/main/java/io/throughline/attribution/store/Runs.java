package io.throughline.attribution.store;

import com.fasterxml.jackson.core.type.TypeReference;
import io.throughline.attribution.domain.journeys.CreditLine;
import io.throughline.attribution.domain.journeys.Journey;
import io.throughline.attribution.domain.journeys.JourneySettings;
import io.throughline.attribution.domain.journeys.Touch;
import io.throughline.attribution.domain.models.ModelSpec;
import io.throughline.commons.id.Ids;
import io.throughline.commons.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Attribution runs: created running, written once (credits and journeys per deal), then done or failed, never
 * changed after. A version of a series may start from its base version: the credits of deals it did not recompute
 * are copied from the base.
 */
@ApplicationScoped
public class Runs {

    public record Run(UUID id, String tenantId, String series, int version, UUID baseRunId, String trigger, ModelSpec spec, JourneySettings journeys,
            Instant cutoff, String status, int personsTotal, int personsDone, int dealsRecomputed, int dealsCopied, Double conversions,
            Map<String, Object> explanation, String error, Instant createdAt, Instant finishedAt) {
    }

    /**
     * The journey of one deal as a run saw it: whose, the deal's state then, the touch that created the lead, the
     * deal's first payment, and whether that payment was the person's first of all.
     */
    public record RunDeal(UUID dealId, String personKey, Instant dealChangedAt, Journey journey, String firstPaymentId, boolean newCustomer) {
    }

    /** A version of the series is running: versions of one series are made one at a time (each builds on the last). */
    public static final class SeriesBusy extends RuntimeException {
        public SeriesBusy(String series) {
            super("a run of " + series + " is running", null, false, false);
        }
    }

    /** The lines and journeys a version sees: its series' rows from its version on, until a later version replaced them. */
    static final String VISIBLE = visibleAs("");

    /** {@link #VISIBLE} for the table of this alias ("" for none). */
    static String visibleAs(String alias) {
        String t = alias.isEmpty() ? "" : alias + ".";
        return t + "tenant_id = ? AND " + t + "series = ? AND " + t + "from_version <= ? AND (" + t + "to_version IS NULL OR " + t + "to_version > ?)";
    }

    static Object[] visible(Run run) {
        return new Object[] {run.tenantId(), run.series(), run.version(), run.version()};
    }

    private final DataSource db;

    public Runs(DataSource db) {
        this.db = db;
    }

    /** A new running version of the spec's series (version = the newest + 1). */
    public Run create(String tenantId, ModelSpec spec, JourneySettings journeys, Instant cutoff, String trigger, UUID baseRunId) {
        return Sql.transaction(db, c -> {
            Sql.query(c, "SELECT pg_advisory_xact_lock(hashtext(?))", rs -> null, tenantId + "/" + spec.series());
            if (!Sql.query(c, "SELECT 1 FROM attribution_runs WHERE tenant_id = ? AND series = ? AND status = 'running'", rs -> 1, tenantId,
                    spec.series()).isEmpty()) {
                throw new SeriesBusy(spec.series());
            }
            int version = Sql.query(c, "SELECT COALESCE(max(version), 0) + 1 FROM attribution_runs WHERE tenant_id = ? AND series = ?",
                    rs -> rs.getInt(1), tenantId, spec.series()).get(0);
            UUID id = Ids.newId();
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            Sql.update(c, """
                    INSERT INTO attribution_runs (id, tenant_id, series, version, base_run_id, trigger, model, params, conversion_event, lookback_days,
                        reset_after_conversion, cutoff, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?, ?, 'running', ?)""",
                    id, tenantId, spec.series(), version, baseRunId, trigger, spec.model(), SettingsStore.write(spec), journeys.conversionEvent(),
                    journeys.lookbackDays(), journeys.resetAfterConversion(), cutoff, now);
            return find(c, tenantId, id).orElseThrow();
        });
    }

    public void progress(UUID runId, int personsTotal, int personsDone) {
        // Never backwards: batches are written two at a time and may finish out of order.
        Sql.transaction(db, c -> Sql.update(c, """
                UPDATE attribution_runs SET persons_total = ?, persons_done = GREATEST(persons_done, ?) WHERE id = ? AND status = 'running'""",
                personsTotal, personsDone, runId));
    }

    /** Writes one batch of recomputed deals: their journeys and credit lines, as lines of this version on. */
    public void write(Run run, List<RunDeal> deals, List<CreditLine> lines) {
        Sql.transaction(db, c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO run_deals (run_id, tenant_id, series, from_version, deal_id, person_key, deal_changed_at, conversion_at, touches,
                        lead_channel, lead_source, lead_medium, lead_campaign, lead_keyword, lead_has_click_id, first_payment_id, new_customer)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                for (RunDeal d : deals) {
                    Touch lead = d.journey().leadTouch();
                    set(s, run.id(), run.tenantId(), run.series(), run.version(), d.dealId(), d.personKey(), ts(d.dealChangedAt()),
                            ts(d.journey().conversionAt()), d.journey().touches().size(), lead.channel(), lead.source(), lead.medium(), lead.campaign(),
                            lead.keyword(), lead.hasClickId(), d.firstPaymentId(), d.newCustomer());
                    s.addBatch();
                }
                s.executeBatch();
            }
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO run_credits (run_id, tenant_id, series, from_version, deal_id, event, event_id, event_at, touch_index, touchpoint_id,
                        touch_kind, touch_at, channel, source, medium, campaign, keyword, has_click_id, weight, conversions, currency, revenue_minor,
                        gross_profit_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                for (CreditLine l : lines) {
                    Touch t = l.touch();
                    set(s, run.id(), run.tenantId(), run.series(), run.version(), l.dealId(), l.event(), l.eventId(), ts(l.eventAt()), l.touchIndex(),
                            t.id(), t.kind(), ts(t.at()), t.channel(), t.source(), t.medium(), t.campaign(), t.keyword(), t.hasClickId(), l.weight(),
                            l.conversions(), l.currency(), minor(l.revenueMinor()), minor(l.grossProfitMinor()));
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
    }

    /**
     * Finishes a version in one transaction: the older lines it replaces end before it (all of them for a full run,
     * those of the deals it recomputed for an incremental one), the rest is inherited; then it is done and its scratch
     * ({@link RunScratch}) is dropped. Answers nothing: counts and totals are on the run.
     */
    public void finish(Run run, boolean full, Map<String, Object> explanation) {
        Sql.transaction(db, c -> {
            String replaced = full ? "" : " AND deal_id IN (SELECT deal_id FROM run_deals WHERE tenant_id = ? AND series = ? AND from_version = ?)";
            for (String table : List.of("run_credits", "run_deals")) {
                List<Object> params = new java.util.ArrayList<>(List.of(run.version(), run.tenantId(), run.series(), run.version()));
                if (!full) {
                    params.addAll(List.of(run.tenantId(), run.series(), run.version()));
                }
                Sql.update(c, "UPDATE " + table + " SET to_version = ? WHERE tenant_id = ? AND series = ? AND to_version IS NULL AND from_version < ?"
                        + replaced, params.toArray());
            }
            int recomputed = Sql.query(c, "SELECT count(*) FROM run_deals WHERE tenant_id = ? AND series = ? AND from_version = ?", rs -> rs.getInt(1),
                    run.tenantId(), run.series(), run.version()).get(0);
            int inherited = Sql.query(c, "SELECT count(*) FROM run_deals WHERE " + VISIBLE + " AND from_version < ?", rs -> rs.getInt(1),
                    run.tenantId(), run.series(), run.version(), run.version(), run.version()).get(0);
            dropScratch(c, run.id());
            return Sql.update(c, """
                    UPDATE attribution_runs SET status = 'done', finished_at = clock_timestamp(), deals_recomputed = ?, deals_copied = ?,
                        persons_done = persons_total, explanation = CAST(? AS jsonb),
                        conversions = (SELECT COALESCE(sum(conversions), 0) FROM run_credits WHERE\s""" + VISIBLE + ") WHERE id = ?",
                    recomputed, inherited, explanation == null ? null : SettingsStore.write(explanation), run.tenantId(), run.series(),
                    run.version(), run.version(), run.id());
        });
        if (full) {
            // A full run rewrites the series: the next incremental version joins every deal to these lines, a plan that
            // must know how many there are (autovacuum may not have looked yet).
            Sql.statements(db, c -> Sql.update(c, "ANALYZE run_deals"));
        }
    }

    private static void dropScratch(Connection c, UUID runId) throws SQLException {
        Sql.update(c, "DELETE FROM run_people WHERE run_id = ?", runId);
        Sql.update(c, "DELETE FROM run_affected WHERE run_id = ?", runId);
        Sql.update(c, "DELETE FROM run_candidates WHERE run_id = ?", runId);
    }

    /** A failed run keeps no credits (a half-written run must never be read). */
    public void fail(UUID runId, String error) {
        Sql.transaction(db, c -> {
            Sql.update(c, "DELETE FROM run_credits WHERE run_id = ?", runId);
            Sql.update(c, "DELETE FROM run_deals WHERE run_id = ?", runId);
            dropScratch(c, runId);
            return Sql.update(c, "UPDATE attribution_runs SET status = 'failed', finished_at = clock_timestamp(), error = ? WHERE id = ?",
                    error.length() > 500 ? error.substring(0, 500) : error, runId);
        });
    }

    /** Runs interrupted by a restart are failed at start (their work is redone by the next job round). */
    public int failInterrupted() {
        List<UUID> ids = Sql.transaction(db, c -> Sql.query(c, "SELECT id FROM attribution_runs WHERE status = 'running'",
                rs -> rs.getObject(1, UUID.class)));
        ids.forEach(id -> fail(id, "interrupted by a restart"));
        return ids.size();
    }

    public Optional<Run> find(String tenantId, UUID id) {
        return Sql.transaction(db, c -> find(c, tenantId, id));
    }

    /** The newest finished version of a series. */
    public Optional<Run> latestDone(String tenantId, String series) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM attribution_runs WHERE tenant_id = ? AND series = ? AND status = 'done' "
                + "ORDER BY version DESC LIMIT 1", Runs::row, tenantId, series)).stream().findFirst();
    }

    public boolean running(String tenantId, String series) {
        return Sql.transaction(db, c -> !Sql.query(c, "SELECT 1 FROM attribution_runs WHERE tenant_id = ? AND series = ? AND status = 'running'",
                rs -> 1, tenantId, series).isEmpty());
    }

    /** Newest first, after the cursor when given. */
    public List<Run> page(String tenantId, String series, Instant afterCreated, UUID afterId, int limit) {
        return Sql.transaction(db, c -> Sql.query(c, """
                SELECT * FROM attribution_runs WHERE tenant_id = ? AND (CAST(? AS text) IS NULL OR series = ?)
                   AND (CAST(? AS timestamptz) IS NULL OR (created_at, id) < (?, ?)) ORDER BY created_at DESC, id DESC LIMIT ?""", Runs::row,
                tenantId, series, series, afterCreated, afterCreated, afterId, limit));
    }

    private static Optional<Run> find(Connection c, String tenantId, UUID id) throws SQLException {
        return Sql.query(c, "SELECT * FROM attribution_runs WHERE tenant_id = ? AND id = ?", Runs::row, tenantId, id).stream().findFirst();
    }

    private static Run row(ResultSet rs) throws SQLException {
        String explanation = rs.getString("explanation");
        return new Run(rs.getObject("id", UUID.class), rs.getString("tenant_id"), rs.getString("series"), rs.getInt("version"),
                rs.getObject("base_run_id", UUID.class), rs.getString("trigger"), SettingsStore.read(rs.getString("params"), new TypeReference<>() { }),
                new JourneySettings(rs.getString("conversion_event"), rs.getInt("lookback_days"), rs.getBoolean("reset_after_conversion")),
                Sql.instant(rs, "cutoff"), rs.getString("status"), rs.getInt("persons_total"), rs.getInt("persons_done"), rs.getInt("deals_recomputed"),
                rs.getInt("deals_copied"), (Double) rs.getObject("conversions"),
                explanation == null ? null : SettingsStore.read(explanation, new TypeReference<Map<String, Object>>() { }), rs.getString("error"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "finished_at"));
    }

    /** Fractional minor units, kept to 6 decimals: sums in PostgreSQL are exact from here on. */
    private static java.math.BigDecimal minor(double value) {
        return java.math.BigDecimal.valueOf(value).setScale(6, java.math.RoundingMode.HALF_EVEN);
    }

    private static Timestamp ts(Instant at) {
        return at == null ? null : Timestamp.from(at);
    }

    private static void set(PreparedStatement s, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            s.setObject(i + 1, values[i]);
        }
    }
}
