package io.throughline.calltracking.store;

import io.throughline.commons.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/** Reads of stored calls: the call log, touchpoints for attribution, and erasure. */
@ApplicationScoped
public class CallQueries {

    /** A stored call with its match and verdict. */
    public record Call(UUID id, String tenantId, UUID integrationId, String externalId, String direction, String callerE164, String callerRaw,
            String calledE164, UUID numberId, String siteKey, Instant startedAt, Instant answeredAt, Instant endedAt, String status, boolean completed,
            Integer durationSeconds, Integer talkSeconds, Integer waitSeconds, String recordingUrl, String agent, boolean processed,
            String matchKind, Double matchConfidence, String alternates, String visitorId, String sessionId, String channel,
            Map<String, String> campaign, Map<String, String> clickIds, String landingPage, String referrer, boolean target, boolean firstTime,
            boolean missed, boolean abandoned, boolean calledBack, boolean excluded, List<String> exclusionReasons) {
    }

    /** Call-log filters; null means any. */
    public record Filter(String siteKey, Instant from, Instant to, String direction, String status, String matchKind, Boolean target,
            Boolean excluded, Boolean firstTime, Boolean missed, String caller) {
    }

    private final DataSource db;

    public CallQueries(DataSource db) {
        this.db = db;
    }

    /** Newest first, after the cursor (started_at, id) when given. */
    public List<Call> log(String tenantId, Filter f, Instant afterStarted, UUID afterId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM calls WHERE tenant_id = ?");
        List<Object> params = new ArrayList<>(List.of(tenantId));
        clause(sql, params, "site_key = ?", f.siteKey());
        clause(sql, params, "started_at >= ?", f.from());
        clause(sql, params, "started_at < ?", f.to());
        clause(sql, params, "direction = ?", f.direction());
        clause(sql, params, "status = ?", f.status());
        clause(sql, params, "match_kind = ?", f.matchKind());
        clause(sql, params, "target = ?", f.target());
        clause(sql, params, "excluded = ?", f.excluded());
        clause(sql, params, "first_time = ?", f.firstTime());
        clause(sql, params, "missed = ?", f.missed());
        clause(sql, params, "caller_e164 = ?", f.caller());
        if (afterStarted != null) {
            sql.append(" AND (started_at, id) < (?, ?)");
            params.add(afterStarted);
            params.add(afterId);
        }
        sql.append(" ORDER BY started_at DESC, id DESC LIMIT ?");
        params.add(limit);
        return Sql.transaction(db, c -> Sql.query(c, sql.toString(), CallQueries::row, params.toArray()));
    }

    public java.util.Optional<Call> find(String tenantId, UUID id) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM calls WHERE tenant_id = ? AND id = ?", CallQueries::row, tenantId, id))
                .stream().findFirst();
    }

    /** Inbound calls of the given visitors or from the given phones that started within [from, to). */
    /**
     * A place in an answer ordered by a time, then the call id: where a touchpoint stream resumes (the call's start) or
     * where the change feed goes on (the change time).
     */
    public record Position(Instant startedAt, UUID id) {

        public String encode() {
            return startedAt + "|" + id;
        }

        /** A position {@link #encode} made; null for an empty token; IllegalArgumentException for anything else. */
        public static Position decode(String token) {
            if (token == null || token.isEmpty()) {
                return null;
            }
            int bar = token.indexOf('|');
            try {
                return new Position(Instant.parse(token.substring(0, Math.max(bar, 0))), UUID.fromString(token.substring(bar + 1)));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a page token");
            }
        }
    }

    private static final String TOUCHPOINTS = """
            SELECT * FROM calls WHERE tenant_id = ? AND direction = 'inbound'
               AND (visitor_id = ANY(?) OR caller_e164 = ANY(?))
               AND (CAST(? AS timestamptz) IS NULL OR started_at >= ?) AND (CAST(? AS timestamptz) IS NULL OR started_at < ?)
               AND (? OR NOT excluded)
               AND (CAST(? AS timestamptz) IS NULL OR (started_at, id) > (?, CAST(? AS uuid)))
             ORDER BY started_at, id""";

    private static Object[] touchpointParams(String tenantId, List<String> visitorIds, List<String> phones, Instant from, Instant to,
            boolean includeExcluded, Position after) {
        Instant afterAt = after == null ? null : after.startedAt();
        UUID afterId = after == null ? null : after.id();
        return new Object[] {tenantId, visitorIds.toArray(String[]::new), phones.toArray(String[]::new), from, from, to, to, includeExcluded, afterAt,
            afterAt, afterId};
    }

    /** The inbound calls of these visitors or from these phones, oldest first, at most 10,000, after {@code after} (or null). */
    public List<Call> touchpoints(String tenantId, List<String> visitorIds, List<String> phones, Instant from, Instant to, boolean includeExcluded,
            Position after) {
        return Sql.transaction(db, c -> Sql.query(c, TOUCHPOINTS + " LIMIT 10000", CallQueries::row,
                touchpointParams(tenantId, visitorIds, phones, from, to, includeExcluded, after)));
    }

    /**
     * The same calls without the cap, handed over as the store returns them (read 1,000 rows at a time, nothing held):
     * for streamed answers over many persons.
     */
    public void forEachTouchpoint(String tenantId, List<String> visitorIds, List<String> phones, Instant from, Instant to, boolean includeExcluded,
            Position after, java.util.function.Consumer<Call> each) {
        Sql.transaction(db, c -> {
            try (java.sql.PreparedStatement q = Sql.prepare(c, TOUCHPOINTS, touchpointParams(tenantId, visitorIds, phones, from, to, includeExcluded,
                    after))) {
                q.setFetchSize(1000);
                try (java.sql.ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        each.accept(row(rs));
                    }
                }
            }
            return null;
        });
    }

    /** Deletes an erased person's calls (by visitor and by phone) and their reservations; returns the counts. */
    public Map<String, Long> erase(String tenantId, List<String> visitorIds, List<String> phones) {
        return Sql.transaction(db, c -> {
            long calls = Sql.update(c, "DELETE FROM calls WHERE tenant_id = ? AND (visitor_id = ANY(?) OR caller_e164 = ANY(?) OR called_e164 = ANY(?))",
                    tenantId, visitorIds.toArray(String[]::new), phones.toArray(String[]::new), phones.toArray(String[]::new));
            Sql.update(c, "DELETE FROM number_leases WHERE reservation_id IN (SELECT id FROM reservations WHERE tenant_id = ? AND visitor_id = ANY(?))",
                    tenantId, visitorIds.toArray(String[]::new));
            long reservations = Sql.update(c, "DELETE FROM reservations WHERE tenant_id = ? AND visitor_id = ANY(?)", tenantId,
                    visitorIds.toArray(String[]::new));
            return Map.of("calls", calls, "reservations", reservations);
        });
    }

    private static void clause(StringBuilder sql, List<Object> params, String condition, Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            params.add(value);
        }
    }

    /** A call as reporting reads it, with when it last changed and whom identity-service linked the caller to. */
    public record Change(Call call, Instant changedAt, String personId, String verdict) {
    }

    /**
     * Calls changed after (changed_at, id), oldest change first, across workspaces; a little behind the clock, so that
     * a write still in its transaction is never skipped by a reader that moved past its time.
     */
    public List<Change> changes(Instant afterChanged, UUID afterId, java.time.Duration lag, int limit) {
        return Sql.transaction(db, c -> Sql.query(c, """
                SELECT * FROM calls WHERE (changed_at, id) > (?, ?) AND changed_at < clock_timestamp() - make_interval(secs => ?)
                 ORDER BY changed_at, id LIMIT ?""", rs -> new Change(row(rs), Sql.instant(rs, "changed_at"), rs.getString("person_id"),
                rs.getString("verdict")), afterChanged, afterId, lag.toMillis() / 1000.0, limit));
    }

    static Call row(ResultSet rs) throws SQLException {
        return new Call(rs.getObject("id", UUID.class), rs.getString("tenant_id"), rs.getObject("integration_id", UUID.class),
                rs.getString("external_id"), rs.getString("direction"), rs.getString("caller_e164"), rs.getString("caller_raw"),
                rs.getString("called_e164"), rs.getObject("number_id", UUID.class), rs.getString("site_key"), Sql.instant(rs, "started_at"),
                Sql.instant(rs, "answered_at"), Sql.instant(rs, "ended_at"), rs.getString("status"), rs.getBoolean("completed"),
                (Integer) rs.getObject("duration_seconds"), (Integer) rs.getObject("talk_seconds"), (Integer) rs.getObject("wait_seconds"),
                rs.getString("recording_url"), rs.getString("agent"), rs.getBoolean("processed"), rs.getString("match_kind"),
                (Double) rs.getObject("match_confidence"), rs.getString("alternates"), rs.getString("visitor_id"), rs.getString("session_id"),
                rs.getString("channel"), Json.map(rs.getString("campaign")), Json.map(rs.getString("click_ids")), rs.getString("landing_page"),
                rs.getString("referrer"), rs.getBoolean("target"), rs.getBoolean("first_time"), rs.getBoolean("missed"), rs.getBoolean("abandoned"),
                rs.getBoolean("called_back"), rs.getBoolean("excluded"), List.of((String[]) rs.getArray("exclusion_reasons").getArray()));
    }
}
