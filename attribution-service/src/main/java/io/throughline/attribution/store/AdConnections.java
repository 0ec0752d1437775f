package io.throughline.attribution.store;

import io.throughline.commons.id.Ids;
import io.throughline.commons.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** Ad platform connections, the audiences pushed through them and the offline-conversion outbox. */
@ApplicationScoped
public class AdConnections {

    public record Connection(UUID id, String tenantId, String platform, String name, String baseUrl, byte[] credentials, String options,
            boolean conversions, Instant createdAt) {
    }

    public record Sync(UUID audienceId, UUID connectionId, String remoteList, int syncedVersion, Instant nextAttemptAt, int attempts, String lastError,
            Instant lastSyncedAt, long sentAdded, long sentRemoved) {
    }

    /** A queued conversion with what sending it needs from its deal. */
    public record Conversion(UUID connectionId, UUID dealId, String tenantId, String status, String clickParam, String clickId, Long valueMinor,
            String currency, Instant convertedAt, int attempts, String lastError, Instant sentAt) {
    }

    private final DataSource db;

    public AdConnections(DataSource db) {
        this.db = db;
    }

    public Connection create(String tenantId, String platform, String name, String baseUrl, byte[] credentials, String options, boolean conversions,
            Instant now) {
        UUID id = Ids.newId();
        Sql.transaction(db, c -> Sql.update(c, """
                INSERT INTO ad_connections (id, tenant_id, platform, name, base_url, credentials, options, conversions, conversions_from, enqueued_until, created_at)
                VALUES (?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?, ?)""", id, tenantId, platform, name, baseUrl, credentials, options, conversions, now, now,
                now));
        return find(tenantId, id).orElseThrow();
    }

    public Optional<Connection> find(String tenantId, UUID id) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM ad_connections WHERE tenant_id = ? AND id = ?", AdConnections::connection, tenantId, id))
                .stream().findFirst();
    }

    public Optional<Connection> byId(UUID id) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM ad_connections WHERE id = ?", AdConnections::connection, id)).stream().findFirst();
    }

    public List<Connection> list(String tenantId) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM ad_connections WHERE tenant_id = ? ORDER BY created_at, id", AdConnections::connection,
                tenantId));
    }

    public boolean delete(String tenantId, UUID id) {
        return Sql.transaction(db, c -> Sql.update(c, "DELETE FROM ad_connections WHERE tenant_id = ? AND id = ?", tenantId, id)) > 0;
    }

    public void reseal(UUID id, byte[] credentials) {
        Sql.transaction(db, c -> Sql.update(c, "UPDATE ad_connections SET credentials = ? WHERE id = ?", credentials, id));
    }

    private static Connection connection(ResultSet rs) throws SQLException {
        return new Connection(rs.getObject("id", UUID.class), rs.getString("tenant_id"), rs.getString("platform"), rs.getString("name"),
                rs.getString("base_url"), rs.getBytes("credentials"), rs.getString("options"), rs.getBoolean("conversions"), Sql.instant(rs, "created_at"));
    }

    // ---- audience syncs ----

    public Sync upsertSync(UUID audienceId, UUID connectionId, String remoteList) {
        Sql.transaction(db, c -> Sql.update(c, """
                INSERT INTO audience_syncs (audience_id, connection_id, remote_list) VALUES (?, ?, ?)
                ON CONFLICT (audience_id, connection_id) DO UPDATE SET remote_list = EXCLUDED.remote_list, synced_version = 0, attempts = 0,
                    next_attempt_at = now(), last_error = NULL""", audienceId, connectionId, remoteList));
        return syncs(audienceId).stream().filter(s -> s.connectionId().equals(connectionId)).findFirst().orElseThrow();
    }

    public List<Sync> syncs(UUID audienceId) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM audience_syncs WHERE audience_id = ? ORDER BY connection_id", AdConnections::sync,
                audienceId));
    }

    public List<Sync> syncsOf(UUID connectionId) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM audience_syncs WHERE connection_id = ? ORDER BY audience_id", AdConnections::sync,
                connectionId));
    }

    public boolean deleteSync(UUID audienceId, UUID connectionId) {
        return Sql.transaction(db, c -> Sql.update(c, "DELETE FROM audience_syncs WHERE audience_id = ? AND connection_id = ?", audienceId,
                connectionId)) > 0;
    }

    /** Syncs due whose audience has a version the platform has not been sent yet. */
    public List<Sync> dueSyncs(Instant now, int limit) {
        return Sql.transaction(db, c -> Sql.query(c, """
                SELECT s.* FROM audience_syncs s JOIN audiences a ON a.id = s.audience_id
                WHERE s.next_attempt_at <= ? AND a.version > s.synced_version ORDER BY s.next_attempt_at LIMIT ?""", AdConnections::sync, now, limit));
    }

    public void synced(Sync s, int version, long added, long removed, Instant now) {
        Sql.transaction(db, c -> Sql.update(c, """
                UPDATE audience_syncs SET synced_version = ?, attempts = 0, last_error = NULL, last_synced_at = ?, next_attempt_at = ?,
                    sent_added = sent_added + ?, sent_removed = sent_removed + ? WHERE audience_id = ? AND connection_id = ?""",
                version, now, now, added, removed, s.audienceId(), s.connectionId()));
    }

    public void syncFailed(Sync s, String error, Instant retryAt) {
        Sql.transaction(db, c -> Sql.update(c, """
                UPDATE audience_syncs SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE audience_id = ? AND connection_id = ?""",
                error, retryAt, s.audienceId(), s.connectionId()));
    }

    private static Sync sync(ResultSet rs) throws SQLException {
        return new Sync(rs.getObject("audience_id", UUID.class), rs.getObject("connection_id", UUID.class), rs.getString("remote_list"),
                rs.getInt("synced_version"), Sql.instant(rs, "next_attempt_at"), rs.getInt("attempts"), rs.getString("last_error"),
                Sql.instant(rs, "last_synced_at"), rs.getLong("sent_added"), rs.getLong("sent_removed"));
    }

    // ---- conversion outbox ----

    /**
     * Queues the deals with a payment that changed since the connection's mark (deals read in their change order, a few
     * seconds behind the clock so that no change still in its transaction is passed). Returns how many were queued.
     */
    public int enqueue(Instant until) {
        return Sql.transaction(db, c -> {
            int n = Sql.update(c, """
                    INSERT INTO conversion_outbox (connection_id, deal_id, tenant_id, status)
                    SELECT k.id, d.id, d.tenant_id, 'pending' FROM ad_connections k
                    JOIN deals d ON d.tenant_id = k.tenant_id AND d.feed_at > k.enqueued_until AND d.feed_at <= ?
                    WHERE k.conversions AND EXISTS (SELECT 1 FROM deal_payments p WHERE p.deal_id = d.id AND p.amount_minor > 0
                                                   AND p.paid_at >= k.conversions_from - interval '1 day')
                    ON CONFLICT (connection_id, deal_id) DO NOTHING""", until);
            Sql.update(c, "UPDATE ad_connections SET enqueued_until = ? WHERE conversions AND enqueued_until < ?", until, until);
            return n;
        });
    }

    /** What a due conversion is about: the deal's contact, its net payments, currency and first payment. */
    public record DealForConversion(UUID id, String contactJson, String currency, long netPaidMinor, Instant firstPaidAt) {
    }

    public List<Conversion> dueConversions(Instant now, int limit) {
        return Sql.transaction(db, c -> Sql.query(c, """
                SELECT * FROM conversion_outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?""",
                AdConnections::conversion, now, limit));
    }

    public Optional<DealForConversion> dealForConversion(UUID dealId) {
        return Sql.transaction(db, c -> Sql.query(c, """
                SELECT d.id, d.contact::text, d.currency,
                       COALESCE((SELECT sum(p.amount_minor) FROM deal_payments p WHERE p.deal_id = d.id), 0),
                       (SELECT min(p.paid_at) FROM deal_payments p WHERE p.deal_id = d.id AND p.amount_minor > 0) AS first_paid
                FROM deals d WHERE d.id = ?""", rs -> new DealForConversion(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getLong(4),
                Sql.instant(rs, "first_paid")), dealId)).stream().findFirst();
    }

    public void conversionDone(Conversion v, String status, String clickParam, String clickId, Long valueMinor, String currency, Instant convertedAt,
            String error, Instant now) {
        Sql.transaction(db, c -> Sql.update(c, """
                UPDATE conversion_outbox SET status = ?, click_param = ?, click_id = ?, value_minor = ?, currency = ?, converted_at = ?, last_error = ?,
                    sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END WHERE connection_id = ? AND deal_id = ?""",
                status, clickParam, clickId, valueMinor, currency, convertedAt, error, status, now, v.connectionId(), v.dealId()));
    }

    public void conversionRetry(Conversion v, String error, Instant retryAt) {
        Sql.transaction(db, c -> Sql.update(c, """
                UPDATE conversion_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE connection_id = ? AND deal_id = ?""",
                error, retryAt, v.connectionId(), v.dealId()));
    }

    public List<Conversion> conversions(UUID connectionId, int limit) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM conversion_outbox WHERE connection_id = ? ORDER BY next_attempt_at DESC LIMIT ?",
                AdConnections::conversion, connectionId, limit));
    }

    private static Conversion conversion(ResultSet rs) throws SQLException {
        return new Conversion(rs.getObject("connection_id", UUID.class), rs.getObject("deal_id", UUID.class), rs.getString("tenant_id"),
                rs.getString("status"), rs.getString("click_param"), rs.getString("click_id"), (Long) rs.getObject("value_minor"), rs.getString("currency"),
                Sql.instant(rs, "converted_at"), rs.getInt("attempts"), rs.getString("last_error"), Sql.instant(rs, "sent_at"));
    }
}
