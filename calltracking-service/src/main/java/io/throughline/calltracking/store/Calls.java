package io.throughline.calltracking.store;

import io.throughline.calltracking.domain.CallEvent;
import io.throughline.calltracking.domain.CallQuality;
import io.throughline.calltracking.domain.ReservationWindow;
import io.throughline.commons.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Calls as telephony reported them, and their processing. Webhook events about one call (same integration and
 * external id) merge into one row whatever order they arrive in: a completion is never undone by a late start,
 * known fields are not erased by events that lack them. Every change marks the call for the processor, which
 * claims due calls with SKIP LOCKED (several instances never process one call at once) and saves its outcome only
 * when no newer event arrived meanwhile.
 */
@ApplicationScoped
public class Calls {

    /** A call the processor claimed: what it needs to match, enrich and judge it. */
    public record Claimed(UUID id, String tenantId, String direction, String callerRaw, String callerE164, String calledE164, UUID numberId,
            String siteKey, Instant startedAt, String status, boolean completed, Integer durationSeconds, Integer talkSeconds,
            String matchKind, UUID reservationId, String visitorId, boolean identityLinked, int attempts, Instant updatedAt) {
    }

    /** A reservation of a number with what the visit carried (for matching and for calls tracking cannot enrich). */
    public record Reservation(ReservationWindow window, String siteKey, String landingPage, String referrer, Map<String, String> campaign,
            Map<String, String> clickIds) {
    }

    /** The processor's verdict on a call. */
    public record Outcome(String matchKind, Double confidence, UUID reservationId, String alternatesJson, String visitorId, String sessionId,
            String channel, Map<String, String> campaign, Map<String, String> clickIds, String landingPage, String referrer,
            CallQuality.Verdict verdict, boolean identityLinked, String personId, String personVerdict) {
    }

    private static final String UPSERT = """
            INSERT INTO calls AS c (id, tenant_id, integration_id, external_id, direction, caller_e164, caller_raw, called_e164, called_raw,
                number_id, site_key, started_at, answered_at, ended_at, status, completed, duration_seconds, talk_seconds, wait_seconds,
                recording_url, agent, received_at, updated_at, next_attempt_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), now(), now())
            ON CONFLICT (integration_id, external_id) DO UPDATE SET
                caller_e164 = COALESCE(c.caller_e164, EXCLUDED.caller_e164),
                caller_raw = COALESCE(c.caller_raw, EXCLUDED.caller_raw),
                called_e164 = COALESCE(c.called_e164, EXCLUDED.called_e164),
                called_raw = COALESCE(c.called_raw, EXCLUDED.called_raw),
                number_id = COALESCE(c.number_id, EXCLUDED.number_id),
                site_key = COALESCE(c.site_key, EXCLUDED.site_key),
                started_at = LEAST(c.started_at, EXCLUDED.started_at),
                answered_at = COALESCE(c.answered_at, EXCLUDED.answered_at),
                ended_at = COALESCE(EXCLUDED.ended_at, c.ended_at),
                status = CASE WHEN c.completed AND NOT EXCLUDED.completed THEN c.status ELSE COALESCE(EXCLUDED.status, c.status) END,
                completed = c.completed OR EXCLUDED.completed,
                duration_seconds = COALESCE(EXCLUDED.duration_seconds, c.duration_seconds),
                talk_seconds = COALESCE(EXCLUDED.talk_seconds, c.talk_seconds),
                wait_seconds = COALESCE(EXCLUDED.wait_seconds, c.wait_seconds),
                recording_url = COALESCE(EXCLUDED.recording_url, c.recording_url),
                agent = COALESCE(EXCLUDED.agent, c.agent),
                processed = false, next_attempt_at = now(), updated_at = clock_timestamp(), changed_at = clock_timestamp()
            RETURNING id, (xmax = 0) AS created""";

    private final DataSource db;

    public Calls(DataSource db) {
        this.db = db;
    }

    /** Stores or merges one event; returns the call's id and whether this event created it. */
    public Map.Entry<UUID, Boolean> upsert(String tenantId, UUID integrationId, CallEvent e, String callerE164, String calledE164, UUID numberId,
            String siteKey) {
        return Sql.transaction(db, c -> Sql.query(c, UPSERT, rs -> Map.entry(rs.getObject("id", UUID.class), rs.getBoolean("created")),
                io.throughline.commons.id.Ids.newId(), tenantId, integrationId, e.externalId(), e.direction().code(), callerE164, e.callerRaw(),
                calledE164, e.calledRaw(), numberId, siteKey, e.startedAt(), e.answeredAt(), e.endedAt(), e.status() == null ? null : e.status().code(),
                e.completed(), e.durationSeconds(), e.talkSeconds(), e.waitSeconds(), e.recordingUrl(), e.agent()).get(0));
    }

    /** Claims due calls for a while (another round retries them if this one dies). */
    public List<Claimed> claimDue(int limit, Duration claimFor) {
        return Sql.transaction(db, c -> Sql.query(c, """
                UPDATE calls SET next_attempt_at = now() + make_interval(secs => ?), process_attempts = process_attempts + 1
                 WHERE id IN (SELECT id FROM calls WHERE NOT processed AND next_attempt_at <= now()
                               ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING *""", Calls::claimed, (double) claimFor.toSeconds(), limit));
    }

    /** Saves the outcome unless a newer event changed the call since it was claimed (then it is processed again). */
    public boolean save(Claimed call, Outcome o, boolean done, Instant retryAt, String error) {
        CallQuality.Verdict v = o.verdict();
        return Sql.transaction(db, c -> Sql.update(c, """
                UPDATE calls SET match_kind = ?, match_confidence = ?, reservation_id = ?, alternates = CAST(? AS jsonb), visitor_id = ?,
                    session_id = ?, channel = ?, campaign = CAST(? AS jsonb), click_ids = CAST(? AS jsonb), landing_page = ?, referrer = ?,
                    target = ?, first_time = ?, missed = ?, abandoned = ?, excluded = ?, exclusion_reasons = ?, identity_linked = ?,
                    person_id = COALESCE(?, person_id), verdict = COALESCE(?, verdict),
                    processed = ?, next_attempt_at = COALESCE(?, next_attempt_at), last_error = ?, changed_at = clock_timestamp()
                 WHERE id = ? AND updated_at = ?""", o.matchKind(), o.confidence(), o.reservationId(), o.alternatesJson(), o.visitorId(),
                o.sessionId(), o.channel(), Json.of(o.campaign()), Json.of(o.clickIds()), o.landingPage(), o.referrer(),
                v != null && v.target(), v != null && v.firstTime(), v != null && v.missed(), v != null && v.abandoned(), v != null && v.excluded(),
                v == null ? new String[0] : v.exclusionReasons().toArray(String[]::new), o.identityLinked(), o.personId(), o.personVerdict(), done,
                retryAt, error, call.id(), call.updatedAt()) == 1);
    }

    /** The number's reservations whose window, widened by the skew, contains the call time. */
    public List<Reservation> reservationsAround(UUID numberId, Instant at, Duration skew) {
        return Sql.transaction(db, c -> Sql.query(c, """
                SELECT * FROM reservations WHERE number_id = ? AND assigned_at <= ?
                   AND last_seen_at + make_interval(secs => hold_seconds) >= ? ORDER BY assigned_at""", rs -> new Reservation(
                new ReservationWindow(rs.getObject("id", UUID.class), rs.getString("visitor_id"), rs.getString("session_id"),
                        Sql.instant(rs, "assigned_at"), Sql.instant(rs, "last_seen_at"), rs.getInt("hold_seconds"), rs.getBoolean("ambiguous")),
                rs.getString("site_key"), rs.getString("landing_page"), rs.getString("referrer"), Json.map(rs.getString("campaign")),
                Json.map(rs.getString("click_ids"))), numberId, at.plus(skew), at.minus(skew)));
    }

    /** What the caller (and the called number) did before this call, for the quality rules. */
    public CallQuality.History history(Claimed call, int uniqueWindowDays) {
        if (call.callerE164() == null) {
            return new CallQuality.History(0, 0, 0);
        }
        return Sql.transaction(db, c -> Sql.query(c, """
                SELECT count(*) FILTER (WHERE caller_e164 = ? AND started_at >= ?) AS earlier,
                       count(*) FILTER (WHERE caller_e164 = ? AND started_at >= ?) AS last_hour,
                       count(*) FILTER (WHERE called_e164 = ? AND started_at >= ? AND status = 'answered' AND talk_seconds < ?) AS zero_talk
                  FROM calls WHERE tenant_id = ? AND direction = 'inbound' AND id <> ? AND started_at < ? AND started_at >= ?""",
                rs -> new CallQuality.History(rs.getInt("earlier"), rs.getInt("last_hour"), rs.getInt("zero_talk")),
                call.callerE164(), call.startedAt().minus(Duration.ofDays(uniqueWindowDays)), call.callerE164(), call.startedAt().minusSeconds(3600),
                call.calledE164(), call.startedAt().minusSeconds(600), CallQuality.ZERO_TALK_SECONDS, call.tenantId(), call.id(),
                call.startedAt(), call.startedAt().minus(Duration.ofDays(uniqueWindowDays))).get(0));
    }

    /**
     * "Called back": missed inbound calls from {@code phone} that an answered outbound call to it followed within
     * the window. Run for an outbound call, and for a missed call (the callback may have been reported first).
     */
    public int markCalledBack(String tenantId, String phone, Instant from, Instant to, int windowMinutes) {
        return Sql.transaction(db, c -> Sql.update(c, """
                UPDATE calls i SET called_back = true, changed_at = clock_timestamp() WHERE i.tenant_id = ? AND i.direction = 'inbound' AND i.caller_e164 = ? AND i.missed
                   AND NOT i.called_back AND i.started_at BETWEEN ? AND ?
                   AND EXISTS (SELECT 1 FROM calls o WHERE o.tenant_id = i.tenant_id AND o.direction = 'outbound' AND o.called_e164 = i.caller_e164
                                AND o.status = 'answered' AND o.started_at > i.started_at
                                AND o.started_at <= i.started_at + make_interval(mins => ?))""",
                tenantId, phone, from, to, windowMinutes));
    }

    private static Claimed claimed(ResultSet rs) throws SQLException {
        return new Claimed(rs.getObject("id", UUID.class), rs.getString("tenant_id"), rs.getString("direction"), rs.getString("caller_raw"),
                rs.getString("caller_e164"), rs.getString("called_e164"), rs.getObject("number_id", UUID.class), rs.getString("site_key"),
                Sql.instant(rs, "started_at"), rs.getString("status"), rs.getBoolean("completed"), (Integer) rs.getObject("duration_seconds"),
                (Integer) rs.getObject("talk_seconds"), rs.getString("match_kind"), rs.getObject("reservation_id", UUID.class),
                rs.getString("visitor_id"), rs.getBoolean("identity_linked"), rs.getInt("process_attempts"), Sql.instant(rs, "updated_at"));
    }
}
