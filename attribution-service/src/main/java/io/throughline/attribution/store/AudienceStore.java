package io.throughline.attribution.store;

import io.throughline.attribution.domain.audiences.AudienceRule;
import io.throughline.commons.id.Ids;
import io.throughline.commons.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Audiences as defined and read: definitions, dirty marks, versions, feed credentials, pulls, consent, and the members
 * as exports stream them. Membership changes are {@link AudienceMembership}'s.
 */
@ApplicationScoped
public class AudienceStore {

    public record Audience(UUID id, String tenantId, String name, AudienceRule rule, int version, int size, boolean rebuild, String feedUser,
            Instant createdAt, Instant updatedAt) {
    }

    public record Version(int version, Instant at, int added, int removed, int size, String reason) {
    }

    /** A member as wanted or stored: its key, the contacts exported for it, and when a dated membership ends. */
    public record Member(String key, List<String> emails, List<String> phones, Instant expiresAt) {
    }

    /** One exported member (a change since a version carries its op: '+' added or changed, '-' removed). */
    public record Row(String key, String op, List<String> emails, List<String> phones) {
    }

    public record Pull(Instant at, String via, String who, String platform, int version, Integer sinceVersion, long rows, String refused) {
    }

    private final DataSource db;
    private final AudienceCodec codec;

    public AudienceStore(DataSource db, AudienceCodec codec) {
        this.db = db;
        this.codec = codec;
    }

    // ---- dirty marks ----

    /** Marks the person a deal is linked to (inside the deal's own transaction). */
    static int markDeal(Connection c, UUID dealId) throws SQLException {
        return Sql.update(c, """
                INSERT INTO audience_dirty (tenant_id, person_id) SELECT tenant_id, person_id FROM deals WHERE id = ? AND person_id IS NOT NULL
                ON CONFLICT (tenant_id, person_id) DO UPDATE SET marked_at = now()""", dealId);
    }

    public void markPersons(String tenantId, Collection<String> persons) {
        if (persons.isEmpty()) {
            return;
        }
        Sql.transaction(db, c -> Sql.update(c, """
                INSERT INTO audience_dirty (tenant_id, person_id) SELECT ?, unnest(?::text[])
                ON CONFLICT (tenant_id, person_id) DO UPDATE SET marked_at = now()""", tenantId, persons.toArray(String[]::new)));
    }

    /** Persons to re-evaluate, oldest marks first, with the time of the mark (a later mark keeps the row due). */
    public record Dirty(String tenantId, String personId, Instant markedAt) {
    }

    public List<Dirty> dirty(int limit) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT tenant_id, person_id, marked_at FROM audience_dirty ORDER BY marked_at LIMIT ?",
                rs -> new Dirty(rs.getString(1), rs.getString(2), Sql.instant(rs, "marked_at")), limit));
    }

    /**
     * Marks every person whose membership a new or changed definition may change (the persons of the workspace's
     * deals and the current members); combinations and lists need no person marks. Returns the tenants concerned.
     */
    public Set<String> takeRebuilds() {
        return Sql.transaction(db, c -> {
            List<Object[]> due = Sql.query(c, "SELECT id, tenant_id, kind FROM audiences WHERE rebuild FOR UPDATE SKIP LOCKED",
                    rs -> new Object[] {rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)});
            Set<String> tenants = new LinkedHashSet<>();
            for (Object[] a : due) {
                String tenant = (String) a[1];
                tenants.add(tenant);
                if (a[2].equals("paid_customers") || a[2].equals("open_deals")) {
                    Sql.update(c, """
                            INSERT INTO audience_dirty (tenant_id, person_id)
                            SELECT DISTINCT ?, person_id FROM deals WHERE tenant_id = ? AND person_id IS NOT NULL
                            UNION SELECT ?, substr(member_key, 3) FROM audience_members WHERE audience_id = ?
                            ON CONFLICT (tenant_id, person_id) DO NOTHING""", tenant, tenant, tenant, a[0]);
                }
                Sql.update(c, "UPDATE audiences SET rebuild = false WHERE id = ?", a[0]);
            }
            return tenants;
        });
    }

    /** Marks the persons whose dated membership ended; returns how many. */
    public int markExpired(Instant now) {
        return Sql.transaction(db, c -> Sql.update(c, """
                INSERT INTO audience_dirty (tenant_id, person_id)
                SELECT DISTINCT a.tenant_id, substr(m.member_key, 3) FROM audience_members m JOIN audiences a ON a.id = m.audience_id
                WHERE m.expires_at <= ? AND a.kind IN ('paid_customers', 'open_deals')
                ON CONFLICT (tenant_id, person_id) DO NOTHING""", now));
    }

    /** The position of a consumer in identity-service's person change feed. */
    public long cursor(String consumer) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT last_id FROM identity_feed_cursor WHERE consumer = ?", rs -> rs.getLong(1), consumer))
                .stream().findFirst().orElse(0L);
    }

    /** Marks the persons of the changes and moves the cursor past them, in one transaction. */
    public void advance(String consumer, long lastId, Map<String, Set<String>> personsByTenant) {
        Sql.transaction(db, c -> {
            for (Map.Entry<String, Set<String>> e : personsByTenant.entrySet()) {
                Sql.update(c, """
                        INSERT INTO audience_dirty (tenant_id, person_id) SELECT ?, unnest(?::text[])
                        ON CONFLICT (tenant_id, person_id) DO UPDATE SET marked_at = now()""", e.getKey(), e.getValue().toArray(String[]::new));
            }
            return Sql.update(c, """
                    INSERT INTO identity_feed_cursor (consumer, last_id) VALUES (?, ?)
                    ON CONFLICT (consumer) DO UPDATE SET last_id = GREATEST(identity_feed_cursor.last_id, EXCLUDED.last_id)""", consumer, lastId);
        });
    }

    /** Drops the marks that were read, unless marked again since. */
    public void settle(List<Dirty> done) {
        Sql.transaction(db, c -> {
            for (Dirty d : done) {
                Sql.update(c, "DELETE FROM audience_dirty WHERE tenant_id = ? AND person_id = ? AND marked_at <= ?", d.tenantId(), d.personId(), d.markedAt());
            }
            return null;
        });
    }

    // ---- definitions ----

    public Audience create(String tenantId, String name, AudienceRule rule, Instant now) {
        UUID id = Ids.newId();
        Sql.transaction(db, c -> Sql.update(c, """
                INSERT INTO audiences (id, tenant_id, name, kind, definition, rebuild, created_at, updated_at)
                VALUES (?, ?, ?, ?, CAST(? AS jsonb), true, ?, ?)""", id, tenantId, name, rule.kind(), codec.write(rule), now, now));
        return find(tenantId, id).orElseThrow();
    }

    /** Replaces the definition (the kind stays); members are re-evaluated by the next round. */
    public Optional<Audience> update(String tenantId, UUID id, String name, AudienceRule rule, Instant now) {
        int n = Sql.transaction(db, c -> Sql.update(c, """
                UPDATE audiences SET name = ?, definition = CAST(? AS jsonb), rebuild = true, updated_at = ? WHERE tenant_id = ? AND id = ?""",
                name, codec.write(rule), now, tenantId, id));
        return n == 0 ? Optional.empty() : find(tenantId, id);
    }

    public boolean delete(String tenantId, UUID id) {
        return Sql.transaction(db, c -> Sql.update(c, "DELETE FROM audiences WHERE tenant_id = ? AND id = ?", tenantId, id)) > 0;
    }

    public Optional<Audience> find(String tenantId, UUID id) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM audiences WHERE tenant_id = ? AND id = ?", this::audience, tenantId, id))
                .stream().findFirst();
    }

    public Optional<Audience> byId(UUID id) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM audiences WHERE id = ?", this::audience, id)).stream().findFirst();
    }

    public List<Audience> list(String tenantId) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM audiences WHERE tenant_id = ? ORDER BY created_at, id", this::audience, tenantId));
    }

    /** The audiences that name this one in a combination. */
    public List<Audience> usedBy(String tenantId, UUID id) {
        return list(tenantId).stream().filter(a -> a.rule() instanceof AudienceRule.Combined c
                && (c.include().contains(id) || c.exclude().contains(id))).toList();
    }

    Audience audience(ResultSet rs) throws SQLException {
        return new Audience(rs.getObject("id", UUID.class), rs.getString("tenant_id"), rs.getString("name"),
                codec.read(rs.getString("kind"), rs.getString("definition")), rs.getInt("version"), rs.getInt("size"), rs.getBoolean("rebuild"),
                rs.getString("feed_user"), Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }

    public List<Version> versions(UUID audienceId, int limit) {
        return Sql.transaction(db, c -> Sql.query(c, """
                SELECT version, at, added, removed, size, reason FROM audience_versions WHERE audience_id = ? ORDER BY version DESC LIMIT ?""",
                rs -> new Version(rs.getInt(1), Sql.instant(rs, "at"), rs.getInt(3), rs.getInt(4), rs.getInt(5), rs.getString(6)), audienceId, limit));
    }

    // ---- feed credentials and pulls ----

    public void feedCredentials(UUID audienceId, String user, String secretHash) {
        Sql.transaction(db, c -> Sql.update(c, "UPDATE audiences SET feed_user = ?, feed_secret_hash = ? WHERE id = ?", user, secretHash, audienceId));
    }

    /** The audience and the stored hash of the feed user's secret. */
    public Optional<Map.Entry<Audience, String>> byFeedUser(String user) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM audiences WHERE feed_user = ?",
                rs -> Map.entry(audience(rs), rs.getString("feed_secret_hash")), user)).stream().findFirst();
    }

    public void logPull(UUID audienceId, Instant at, String via, String who, String platform, int version, Integer since, long rows, String refused) {
        Sql.transaction(db, c -> Sql.update(c, """
                INSERT INTO audience_pulls (audience_id, at, via, who, platform, version, since_version, rows, refused)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", audienceId, at, via, who, platform, version, since, rows, refused));
    }

    public List<Pull> pulls(UUID audienceId, int limit) {
        return Sql.transaction(db, c -> Sql.query(c, """
                SELECT at, via, who, platform, version, since_version, rows, refused FROM audience_pulls WHERE audience_id = ?
                ORDER BY id DESC LIMIT ?""", rs -> new Pull(Sql.instant(rs, "at"), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                (Integer) rs.getObject(6), rs.getLong(7), rs.getString(8)), audienceId, limit));
    }

    // ---- settings and consent ----

    public boolean requiresConsent(String tenantId) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT require_consent FROM audience_settings WHERE tenant_id = ?", rs -> rs.getBoolean(1),
                tenantId)).stream().findFirst().orElse(false);
    }

    public void requireConsent(String tenantId, boolean required, Instant now) {
        Sql.transaction(db, c -> Sql.update(c, """
                INSERT INTO audience_settings (tenant_id, require_consent, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (tenant_id) DO UPDATE SET require_consent = EXCLUDED.require_consent, updated_at = EXCLUDED.updated_at""",
                tenantId, required, now));
    }

    /** Records consents (normalized e-mail or E.164 phone to granted / withdrawn). */
    public int consents(String tenantId, Map<String, Boolean> contacts, Instant now) {
        return Sql.transaction(db, c -> {
            int n = 0;
            for (Map.Entry<String, Boolean> e : contacts.entrySet()) {
                n += Sql.update(c, """
                        INSERT INTO audience_consents (tenant_id, contact, granted, updated_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT (tenant_id, contact) DO UPDATE SET granted = EXCLUDED.granted, updated_at = EXCLUDED.updated_at""",
                        tenantId, e.getKey(), e.getValue(), now);
            }
            return n;
        });
    }

    /** Current members in key order after {@code afterKey}, at most {@code limit} (+1 to tell a next page). */
    public List<Member> members(UUID audienceId, String afterKey, int limit) {
        return Sql.transaction(db, c -> Sql.query(c, """
                SELECT member_key, emails, phones, expires_at FROM audience_members WHERE audience_id = ? AND member_key > ?
                ORDER BY member_key LIMIT ?""", rs -> new Member(rs.getString(1), texts(rs, 2), texts(rs, 3), Sql.instant(rs, "expires_at")),
                audienceId, afterKey == null ? "" : afterKey, limit + 1));
    }

    // ---- export ----

    /** How many members an export would hold (those with consent when the workspace requires it). */
    public long exportable(String tenantId, UUID audienceId, boolean consent) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT count(*) FROM audience_members m WHERE m.audience_id = ?" + (consent ? CONSENTED : ""),
                rs -> rs.getLong(1), consent ? new Object[] {audienceId, tenantId, tenantId} : new Object[] {audienceId}).get(0));
    }

    /** The members with a granted consent on a contact and no withdrawal (tenant bound twice). */
    static final String CONSENTED = " AND EXISTS (SELECT 1 FROM audience_consents k WHERE k.tenant_id = ? AND k.granted"
            + " AND k.contact = ANY(m.emails || m.phones))"
            + " AND NOT EXISTS (SELECT 1 FROM audience_consents k WHERE k.tenant_id = ? AND NOT k.granted AND k.contact = ANY(m.emails || m.phones))";

    /**
     * Streams the members (since == null) or the changes after version {@code since} (each member's latest), in key
     * order, from one read-only snapshot; returns the version the rows are as of.
     */
    public int stream(String tenantId, UUID audienceId, Integer since, boolean consent, Consumer<Row> sink) {
        return stream(tenantId, audienceId, since, null, null, consent, sink);
    }

    /**
     * The changes after {@code since} up to version {@code upTo} (null: the newest), only those with {@code op} when
     * given; returns the version the rows are as of.
     */
    public int stream(String tenantId, UUID audienceId, Integer since, Integer upTo, String op, boolean consent, Consumer<Row> sink) {
        return Sql.transaction(db, c -> {
            Sql.update(c, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            int newest = Sql.query(c, "SELECT version FROM audiences WHERE id = ?", rs -> rs.getInt(1), audienceId).get(0);
            int version = upTo == null ? newest : Math.min(upTo, newest);
            // Contacts travel as space-joined text (no normalized e-mail or phone holds a space): parsing text[] per row costs
            // more than the rest of the export.
            String sql = since == null
                    ? "SELECT m.member_key, '+' AS op, array_to_string(m.emails, ' '), array_to_string(m.phones, ' ') FROM audience_members m"
                            + " WHERE m.audience_id = ?" + (consent ? CONSENTED : "")
                            + " ORDER BY m.member_key"
                    : "SELECT * FROM (SELECT DISTINCT ON (m.member_key) m.member_key, m.op, array_to_string(m.emails, ' ') AS emails_text,"
                            + " array_to_string(m.phones, ' ') AS phones_text, m.emails, m.phones FROM audience_changes m"
                            + " WHERE m.audience_id = ? AND m.version > ? AND m.version <= ? ORDER BY m.member_key, m.version DESC) m WHERE (m.op = '-'"
                            + (consent ? " OR (true" + CONSENTED + "))" : " OR true)") + (op == null ? "" : " AND m.op = '" + (op.equals("-") ? "-" : "+") + "'")
                            + " ORDER BY m.member_key";
            List<Object> params = new ArrayList<>(List.of(audienceId));
            if (since != null) {
                params.add(since);
                params.add(version);
            }
            if (consent) {
                params.add(tenantId);
                params.add(tenantId);
            }
            try (PreparedStatement s = Sql.prepare(c, sql, params.toArray())) {
                s.setFetchSize(10_000);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(new Row(rs.getString(1), rs.getString(2), split(rs.getString(3)), split(rs.getString(4))));
                    }
                }
            }
            return version;
        });
    }

    private static List<String> split(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(" "));
    }

    private static List<String> texts(ResultSet rs, int column) throws SQLException {
        return Arrays.asList((String[]) rs.getArray(column).getArray());
    }
}
