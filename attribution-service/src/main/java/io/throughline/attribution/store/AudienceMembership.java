package io.throughline.attribution.store;

import io.throughline.attribution.domain.audiences.AudienceRule;
import io.throughline.commons.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Every change of audience membership. Each goes through {@link #applyWanted}: the wanted members of a scope are staged
 * in a temporary table, and one statement each removes, adds and updates what differs, recording the change under the
 * audience's next version. A round that changes nothing writes no version.
 */
@ApplicationScoped
public class AudienceMembership {

    /** The outcome of applying wanted members: the version written (or the current one when nothing changed). */
    public record Applied(int version, int added, int removed, int size) {
        public boolean changed() {
            return added + removed > 0;
        }
    }

    private final DataSource db;
    private final AudienceStore store;

    public AudienceMembership(DataSource db, AudienceStore store) {
        this.db = db;
        this.store = store;
    }

    /**
     * Consent changed for these contacts (null: for everyone, the requirement was switched): each member holding one
     * is written to the audience's next version as '+' (exportable now) or '-' (not any more), so that diffs and pushes
     * follow a withdrawal; membership itself does not change.
     */
    public Map<UUID, Applied> consentChanged(String tenantId, String[] contacts, boolean required, Instant now) {
        return Sql.transaction(db, c -> {
            Map<UUID, Applied> out = new HashMap<>();
            for (AudienceStore.Audience a : Sql.query(c, "SELECT * FROM audiences WHERE tenant_id = ? ORDER BY id FOR UPDATE", store::audience, tenantId)) {
                int next = a.version() + 1;
                List<Object> params = new ArrayList<>(List.of(a.id(), next, !required, tenantId, tenantId, a.id()));
                if (contacts != null) {
                    params.add(contacts);
                }
                String sql = "WITH changed AS (INSERT INTO audience_changes (audience_id, version, member_key, op, emails, phones)"
                        + " SELECT ?, ?, m.member_key, CASE WHEN ? OR (true" + AudienceStore.CONSENTED + ") THEN '+' ELSE '-' END, m.emails, m.phones"
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
            List<AudienceStore.Audience> audiences = Sql.query(c, "SELECT * FROM audiences WHERE tenant_id = ? AND kind IN ('paid_customers', 'open_deals') ORDER BY id",
                    store::audience, tenantId);
            String[] scope = new String[survivors.size() + gone.size()];
            int i = 0;
            for (String p : survivors) {
                scope[i++] = "p:" + p;
            }
            for (String p : gone) {
                scope[i++] = "p:" + p;
            }
            Map<UUID, Applied> out = new HashMap<>();
            for (AudienceStore.Audience a : audiences) {
                List<AudienceStore.Member> wanted = new ArrayList<>();
                for (String p : survivors) {
                    AudienceRule.Verdict v = AudienceRule.evaluate(a.rule(), facts.getOrDefault(p, List.of()), now);
                    Survivor s = bySurvivor.get(p);
                    if (v.member() && (!s.emails().isEmpty() || !s.phones().isEmpty())) {
                        wanted.add(new AudienceStore.Member("p:" + p, s.emails(), s.phones(), v.expiresAt()));
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
    public Applied replaceList(UUID audienceId, List<AudienceStore.Member> contacts, String reason, Instant now) {
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
            for (AudienceStore.Audience a : Sql.query(c, "SELECT * FROM audiences WHERE tenant_id = ? AND kind = 'uploaded' FOR UPDATE", store::audience, tenantId)) {
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
            List<AudienceStore.Audience> all = Sql.query(c, "SELECT * FROM audiences WHERE tenant_id = ? AND kind = 'combined' ORDER BY id FOR UPDATE",
                    store::audience, tenantId);
            for (AudienceStore.Audience a : all) {
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
    static Applied applyWanted(Connection c, UUID audienceId, List<AudienceStore.Member> wanted, String[] scope, String reason, Instant now)
            throws SQLException {
        stage(c);
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO audience_wanted (member_key, emails, phones, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (member_key) DO NOTHING")) {
            int batched = 0;
            for (AudienceStore.Member m : wanted) {
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
}
