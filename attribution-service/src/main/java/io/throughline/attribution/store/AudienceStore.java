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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Audiences, their members and versions. Every change of membership goes through {@link #applyWanted}: the wanted
 * members of a scope are staged in a temporary table, and one statement each removes, adds and updates what differs,
 * recording the change under the audience's next version. A round that changes nothing writes no version.
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

    /** The outcome of applying wanted members: the version written (or the current one when nothing changed). */
    public record Applied(int version, int added, int removed, int size) {
        public boolean changed() {
            return added + removed > 0;
        }
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

    private Audience audience(ResultSet rs) throws SQLException {
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

    /**
     * Consent changed for these contacts (null: for everyone, the requirement was switched): each member holding one
     * is written to the audience's next version as '+' (exportable now) or '-' (not any more), so that diffs and pushes
     * follow a withdrawal; membership itself does not change.
     */
    public Map<UUID, Applied> consentChanged(String tenantId, String[] contacts, boolean required, Instant now) {
        return Sql.transaction(db, c -> {
            Map<UUID, Applied> out = new HashMap<>();
            for (Audience a : Sql.query(c, "SELECT * FROM audiences WHERE tenant_id = ? ORDER BY id FOR UPDATE", this::audience, tenantId)) {
                int next = a.version() + 1;
                List<Object> params = new ArrayList<>(List.of(a.id(), next, !required, tenantId, tenantId, a.id()));
                if (contacts != null) {
                    params.add(contacts);
                }
                String sql = "WITH changed AS (INSERT INTO audience_changes (audience_id, version, member_key, op, emails, phones)"
                        + " SELECT ?, ?, m.member_key, CASE WHEN ? OR (true" + CONSENTED + ") THEN '+' ELSE '-' END, m.emails, m.phones"
                        + " FROM audience_members m WHERE m.audience_id = ?" + (contacts == null ? "" : " AND (m.emails || m.phones) && ?::text[]")
                        + " RETURNING op) SELECT count(*) FILTER (WHERE op = '+'), count(*) FILTER (WHERE op = '-') FROM changed";
                int[] counts = Sql.query(c, sql,
                        rs -> new int[] {rs.getInt(1), rs.getInt(2)}, params.toArray()).get(0);
                if (counts[0] + counts[1] > 0) {
                    Sql.update(c, "UPDATE audiences SET version = ? WHERE id = ?", next, a.id());
                    Sql.update(c, "INSERT INTO audience_versions (audience_id, version, at, added, removed, size, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            a.id(), next, now, counts[0], counts[1], a.size(), "consent changed");
                    out.put(a.id(), new Applied(next, counts[0], counts[1], a.size()));
                }
            }
            return out;
        });
    }

    // ---- membership ----

    /** One deal of a person, keyed by the person id the deal is linked to. */
    public record PersonDeal(String personId, AudienceRule.DealFact fact) {
    }

    /**
     * Applies identity-service's answers (asked id to survivor, or null when erased / unknown): aliases follow,
     * persons that are no longer their own survivor leave every person audience, and each survivor is evaluated
     * against every person audience of the workspace on the facts of all its deals. One transaction.
     */
    public Map<UUID, Applied> applyPersons(String tenantId, Map<String, Survivor> answers, Instant now, String reason) {
        return Sql.transaction(db, c -> {
            Set<String> survivors = new HashSet<>();
            Set<String> gone = new HashSet<>();
            for (Map.Entry<String, Survivor> a : answers.entrySet()) {
                String asked = a.getKey();
                Survivor s = a.getValue();
                if (s == null) {
                    gone.add(asked);
                    gone.addAll(Sql.query(c, "DELETE FROM person_aliases WHERE tenant_id = ? AND canonical = ? RETURNING person_id",
                            rs -> rs.getString(1), tenantId, asked));
                    Sql.update(c, "DELETE FROM person_aliases WHERE tenant_id = ? AND person_id = ?", tenantId, asked);
                    continue;
                }
                survivors.add(s.personId());
                if (asked.equals(s.personId())) {
                    // its own survivor again (split off, or never merged)
                    Sql.update(c, "DELETE FROM person_aliases WHERE tenant_id = ? AND person_id = ?", tenantId, asked);
                } else {
                    gone.add(asked);
                    Sql.update(c, """
                            INSERT INTO person_aliases (tenant_id, person_id, canonical) VALUES (?, ?, ?)
                            ON CONFLICT (tenant_id, person_id) DO UPDATE SET canonical = EXCLUDED.canonical""", tenantId, asked, s.personId());
                    Sql.update(c, "UPDATE person_aliases SET canonical = ? WHERE tenant_id = ? AND canonical = ?", s.personId(), tenantId, asked);
                }
            }
            gone.removeAll(survivors);
            Map<String, Survivor> bySurvivor = new HashMap<>();
            answers.values().stream().filter(java.util.Objects::nonNull).forEach(s -> bySurvivor.putIfAbsent(s.personId(), s));
            Map<String, List<AudienceRule.DealFact>> facts = dealFacts(c, tenantId, survivors);
            List<Audience> audiences = Sql.query(c, "SELECT * FROM audiences WHERE tenant_id = ? AND kind IN ('paid_customers', 'open_deals') ORDER BY id",
                    this::audience, tenantId);
            String[] scope = new String[survivors.size() + gone.size()];
            int i = 0;
            for (String p : survivors) {
                scope[i++] = "p:" + p;
            }
            for (String p : gone) {
                scope[i++] = "p:" + p;
            }
            Map<UUID, Applied> out = new HashMap<>();
            for (Audience a : audiences) {
                List<Member> wanted = new ArrayList<>();
                for (String p : survivors) {
                    AudienceRule.Verdict v = AudienceRule.evaluate(a.rule(), facts.getOrDefault(p, List.of()), now);
                    Survivor s = bySurvivor.get(p);
                    if (v.member() && (!s.emails().isEmpty() || !s.phones().isEmpty())) {
                        wanted.add(new Member("p:" + p, s.emails(), s.phones(), v.expiresAt()));
                    }
                }
                Applied applied = applyWanted(c, a.id(), wanted, scope, reason, now);
                if (applied.changed()) {
                    out.put(a.id(), applied);
                }
            }
            return out;
        });
    }

    /** A survivor as identity-service answered it, with its contacts sorted. */
    public record Survivor(String personId, List<String> emails, List<String> phones) {
        public Survivor {
            emails = emails.stream().sorted().distinct().toList();
            phones = phones.stream().sorted().distinct().toList();
        }
    }

    private static Map<String, List<AudienceRule.DealFact>> dealFacts(Connection c, String tenantId, Set<String> survivors) throws SQLException {
        Map<String, List<AudienceRule.DealFact>> out = new HashMap<>();
        if (survivors.isEmpty()) {
            return out;
        }
        String[] ids = survivors.toArray(String[]::new);
        Sql.query(c, """
                WITH ids AS (SELECT unnest(?::text[]) AS person, unnest(?::text[]) AS survivor
                             UNION SELECT person_id, canonical FROM person_aliases WHERE tenant_id = ? AND canonical = ANY(?))
                SELECT ids.survivor, d.status, d.stage, d.canonical_stage, d.currency,
                       COALESCE((SELECT sum(p.amount_minor) FROM deal_payments p WHERE p.deal_id = d.id), 0) AS net,
                       (SELECT max(p.paid_at) FROM deal_payments p WHERE p.deal_id = d.id AND p.amount_minor > 0) AS last_paid
                FROM ids JOIN deals d ON d.tenant_id = ? AND d.person_id = ids.person""",
                rs -> out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new AudienceRule.DealFact(rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getLong(6), Sql.instant(rs, "last_paid"))),
                ids, ids, tenantId, ids, tenantId);
        return out;
    }

    /** Replaces an uploaded list's members with these contacts. */
    public Applied replaceList(UUID audienceId, List<Member> contacts, String reason, Instant now) {
        return Sql.transaction(db, c -> {
            Sql.query(c, "SELECT id FROM audiences WHERE id = ? FOR UPDATE", rs -> rs.getObject(1), audienceId);
            return applyWanted(c, audienceId, contacts, null, reason, now);
        });
    }

    /** Removes erased contacts from the workspace's uploaded lists and forgets their consent. */
    public Map<UUID, Applied> eraseContacts(String tenantId, Set<String> emails, Set<String> phones, Instant now) {
        return Sql.transaction(db, c -> {
            String[] values = java.util.stream.Stream.concat(emails.stream(), phones.stream()).toArray(String[]::new);
            Sql.update(c, "DELETE FROM audience_consents WHERE tenant_id = ? AND contact = ANY(?)", tenantId, values);
            Map<UUID, Applied> out = new HashMap<>();
            for (Audience a : Sql.query(c, "SELECT * FROM audiences WHERE tenant_id = ? AND kind = 'uploaded' FOR UPDATE", this::audience, tenantId)) {
                String[] scope = Sql.query(c, "SELECT member_key FROM audience_members WHERE audience_id = ? AND (emails || phones) && ?::text[]",
                        rs -> rs.getString(1), a.id(), values).toArray(String[]::new);
                if (scope.length > 0) {
                    out.put(a.id(), applyWanted(c, a.id(), List.of(), scope, "erasure", now));
                }
            }
            return out;
        });
    }

    /**
     * Recomputes the workspace's combinations from the members of their parts: included members that are not
     * excluded, by key or by any shared e-mail or phone. Set-based; only differences are written.
     */
    public Map<UUID, Applied> recomputeCombined(String tenantId, Instant now) {
        return Sql.transaction(db, c -> {
            Map<UUID, Applied> out = new HashMap<>();
            List<Audience> all = Sql.query(c, "SELECT * FROM audiences WHERE tenant_id = ? AND kind = 'combined' ORDER BY id FOR UPDATE",
                    this::audience, tenantId);
            for (Audience a : all) {
                AudienceRule.Combined rule = (AudienceRule.Combined) a.rule();
                UUID[] include = rule.include().toArray(UUID[]::new);
                UUID[] exclude = rule.exclude().toArray(UUID[]::new);
                Sql.update(c, "DROP TABLE IF EXISTS audience_excluded");
                Sql.update(c, """
                        CREATE TEMP TABLE audience_excluded ON COMMIT DROP AS
                        SELECT DISTINCT unnest(m.emails || m.phones) AS v FROM audience_members m JOIN audiences x ON x.id = m.audience_id
                        WHERE x.tenant_id = ? AND m.audience_id = ANY(?)""", tenantId, exclude);
                Sql.update(c, "CREATE INDEX ON audience_excluded (v)");
                Sql.update(c, "ANALYZE audience_excluded");
                stage(c);
                Sql.update(c, """
                        INSERT INTO audience_wanted (member_key, emails, phones, expires_at)
                        SELECT DISTINCT ON (m.member_key) m.member_key, m.emails, m.phones, NULL::timestamptz
                        FROM audience_members m JOIN audiences i ON i.id = m.audience_id
                        WHERE i.tenant_id = ? AND m.audience_id = ANY(?)
                          AND NOT EXISTS (SELECT 1 FROM audience_members x JOIN audiences xa ON xa.id = x.audience_id
                                          WHERE xa.tenant_id = ? AND x.audience_id = ANY(?) AND x.member_key = m.member_key)
                          AND NOT EXISTS (SELECT 1 FROM unnest(m.emails || m.phones) u(v) JOIN audience_excluded e ON e.v = u.v)
                        ORDER BY m.member_key, m.version DESC""", tenantId, include, tenantId, exclude);
                Applied applied = applyStaged(c, a.id(), null, "parts changed", now);
                if (applied.changed()) {
                    out.put(a.id(), applied);
                }
            }
            return out;
        });
    }

    private static void stage(Connection c) throws SQLException {
        Sql.update(c, "DROP TABLE IF EXISTS audience_wanted");
        Sql.update(c, """
                CREATE TEMP TABLE audience_wanted (member_key text PRIMARY KEY, emails text[] NOT NULL, phones text[] NOT NULL,
                    expires_at timestamptz) ON COMMIT DROP""");
    }

    /**
     * Makes the audience's members within {@code scope} (null: all of them) exactly {@code wanted}, under the next
     * version when anything differs.
     */
    static Applied applyWanted(Connection c, UUID audienceId, List<Member> wanted, String[] scope, String reason, Instant now) throws SQLException {
        stage(c);
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO audience_wanted (member_key, emails, phones, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (member_key) DO NOTHING")) {
            int batched = 0;
            for (Member m : wanted) {
                insert.setString(1, m.key());
                insert.setArray(2, c.createArrayOf("text", m.emails().toArray()));
                insert.setArray(3, c.createArrayOf("text", m.phones().toArray()));
                insert.setObject(4, m.expiresAt() == null ? null : java.sql.Timestamp.from(m.expiresAt()));
                insert.addBatch();
                if (++batched % 1000 == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
        return applyStaged(c, audienceId, scope, reason, now);
    }

    private static Applied applyStaged(Connection c, UUID audienceId, String[] scope, String reason, Instant now) throws SQLException {
        int version = Sql.query(c, "SELECT version FROM audiences WHERE id = ?", rs -> rs.getInt(1), audienceId).get(0);
        int next = version + 1;
        String inScope = scope == null ? "" : " AND m.member_key = ANY(?)";
        Object[] removeParams = scope == null ? new Object[] {audienceId, audienceId, next} : new Object[] {audienceId, scope, audienceId, next};
        int removed = Sql.update(c, """
                WITH gone AS (DELETE FROM audience_members m WHERE m.audience_id = ?""" + inScope + """
                               AND NOT EXISTS (SELECT 1 FROM audience_wanted w WHERE w.member_key = m.member_key)
                              RETURNING member_key, emails, phones)
                INSERT INTO audience_changes (audience_id, version, member_key, op, emails, phones)
                SELECT ?, ?, member_key, '-', emails, phones FROM gone""", removeParams);
        // A member that keeps its place but loses an e-mail or phone: the lost ones are a removal of their own
        // (key~version), so that platforms drop them too.
        Sql.update(c, """
                INSERT INTO audience_changes (audience_id, version, member_key, op, emails, phones)
                SELECT ?, ?, m.member_key || '~' || ?, '-', ARRAY(SELECT unnest(m.emails) EXCEPT SELECT unnest(w.emails)),
                       ARRAY(SELECT unnest(m.phones) EXCEPT SELECT unnest(w.phones))
                FROM audience_members m JOIN audience_wanted w ON w.member_key = m.member_key
                WHERE m.audience_id = ? AND (NOT m.emails <@ w.emails OR NOT m.phones <@ w.phones)""", audienceId, next, next, audienceId);
        int added = Sql.update(c, """
                WITH up AS (INSERT INTO audience_members AS m (audience_id, member_key, emails, phones, expires_at, version)
                            SELECT ?, member_key, emails, phones, expires_at, ? FROM audience_wanted
                            ON CONFLICT (audience_id, member_key) DO UPDATE
                               SET emails = EXCLUDED.emails, phones = EXCLUDED.phones, expires_at = EXCLUDED.expires_at, version = EXCLUDED.version
                             WHERE m.emails IS DISTINCT FROM EXCLUDED.emails OR m.phones IS DISTINCT FROM EXCLUDED.phones
                            RETURNING member_key, emails, phones)
                INSERT INTO audience_changes (audience_id, version, member_key, op, emails, phones)
                SELECT ?, ?, member_key, '+', emails, phones FROM up""", audienceId, next, audienceId, next);
        // A dated membership that is extended without other change only moves its end.
        Sql.update(c, """
                UPDATE audience_members m SET expires_at = w.expires_at FROM audience_wanted w
                WHERE m.audience_id = ? AND m.member_key = w.member_key AND m.expires_at IS DISTINCT FROM w.expires_at""", audienceId);
        if (added + removed == 0) {
            return new Applied(version, 0, 0, Sql.query(c, "SELECT size FROM audiences WHERE id = ?", rs -> rs.getInt(1), audienceId).get(0));
        }
        int size = Sql.query(c, "SELECT count(*) FROM audience_members WHERE audience_id = ?", rs -> rs.getInt(1), audienceId).get(0);
        Sql.update(c, "UPDATE audiences SET version = ?, size = ? WHERE id = ?", next, size, audienceId);
        Sql.update(c, "INSERT INTO audience_versions (audience_id, version, at, added, removed, size, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
                audienceId, next, now, added, removed, size, reason);
        return new Applied(next, added, removed, size);
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

    private static final String CONSENTED = " AND EXISTS (SELECT 1 FROM audience_consents k WHERE k.tenant_id = ? AND k.granted"
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
