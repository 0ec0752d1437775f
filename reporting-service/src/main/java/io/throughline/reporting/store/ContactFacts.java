package io.throughline.reporting.store;

import io.throughline.commons.sql.Sql;
import io.throughline.reporting.domain.facts.DealFact;
import io.throughline.reporting.domain.facts.ContactFact;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Contacts (form leads, inbound calls, CRM deals) and the lead counts they make. A person's contacts are ordered in
 * time and each knows the day of the person's previous non-junk contact, so "a unique person's first contact in the
 * period" (metrics.md) is exactly a contact whose previous one falls before the period, and counts add up per day.
 * Changing a contact takes back and adds again the counts of every contact of the persons involved (a late contact
 * changes its successors' previous day).
 */
final class ContactFacts {

    private static final String COUNTS = """
            INSERT INTO lead_daily AS a (tenant_id, day, prev_day, site_key, channel, source, medium, campaign, keyword, raw, junk, returning_leads,
                candidates, raw_candidates)
            SELECT tenant_id, day, COALESCE(prev_day, DATE '0001-01-01'), site_key, channel, source, medium, campaign, keyword,
                   ? * count(*) FILTER (WHERE kind <> 'deal'), ? * count(*) FILTER (WHERE junk),
                   ? * count(*) FILTER (WHERE NOT junk AND returning_customer AND kind <> 'deal'), ? * count(*) FILTER (WHERE NOT junk AND NOT returning_customer),
                   ? * count(*) FILTER (WHERE NOT junk AND NOT returning_customer AND kind <> 'deal')
              FROM contacts WHERE tenant_id = ? AND (person = ANY(?) OR contact_id = ANY(?))
             GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
            ON CONFLICT (tenant_id, day, prev_day, site_key, channel, source, medium, campaign, keyword) DO UPDATE SET raw = a.raw + EXCLUDED.raw,
                junk = a.junk + EXCLUDED.junk, returning_leads = a.returning_leads + EXCLUDED.returning_leads, candidates = a.candidates + EXCLUDED.candidates,
                raw_candidates = a.raw_candidates + EXCLUDED.raw_candidates
            RETURNING day, prev_day, site_key, channel, source, medium, campaign, keyword, raw = 0 AND junk = 0 AND returning_leads = 0 AND candidates = 0
                AND raw_candidates = 0 AS empty""";

    private ContactFacts() {
    }

    static void apply(Connection c, String tenantId, ZoneId zone, List<ContactFact> contacts) throws SQLException {
        if (contacts.isEmpty()) {
            return;
        }
        String[] ids = contacts.stream().map(ContactFact::contactId).toArray(String[]::new);
        Set<String> persons = new LinkedHashSet<>(Sql.query(c, "SELECT DISTINCT person FROM contacts WHERE tenant_id = ? AND contact_id = ANY(?)",
                rs -> rs.getString(1), tenantId, ids));
        contacts.forEach(k -> persons.add(k.person()));
        String[] people = persons.toArray(String[]::new);
        count(c, tenantId, -1, people, ids);
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO contacts (tenant_id, contact_id, kind, at, day, site_key, channel, source, medium, campaign, keyword, person, junk, returning_customer)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, contact_id) DO UPDATE SET kind = EXCLUDED.kind, at = EXCLUDED.at, day = EXCLUDED.day, site_key = EXCLUDED.site_key,
                    channel = EXCLUDED.channel, source = EXCLUDED.source, medium = EXCLUDED.medium, campaign = EXCLUDED.campaign,
                    keyword = EXCLUDED.keyword, person = EXCLUDED.person, junk = EXCLUDED.junk, returning_customer = EXCLUDED.returning_customer""")) {
            for (ContactFact k : contacts) {
                Object[] v = {tenantId, k.contactId(), k.kind(), Timestamp.from(k.at()), Date.valueOf(k.at().atZone(zone).toLocalDate()), k.siteKey(),
                        k.keys().channel(), k.keys().source(), k.keys().medium(), k.keys().campaign(), k.keys().keyword(), k.person(), k.junk(), k.returning()};
                for (int i = 0; i < v.length; i++) {
                    s.setObject(i + 1, v[i]);
                }
                s.addBatch();
            }
            s.executeBatch();
        }
        previousDays(c, tenantId, "person = ANY(?)", (Object) people);
        count(c, tenantId, 1, people, ids);
    }

    /** The contacts CRM deals are (created at, their lead keys, the deal's person). */
    static void applyDeals(Connection c, String tenantId, String zone, List<DealFact> deals) throws SQLException {
        List<ContactFact> out = new ArrayList<>();
        for (DealFact d : deals) {
            String person = d.personId() != null && !d.personId().isBlank() ? d.personId() : d.person();
            out.add(new ContactFact("deal:" + d.dealId(), "deal", d.createdAt(), "", d.leadKeys(), person, false, d.returning()));
        }
        apply(c, tenantId, ZoneId.of(zone), out);
    }

    /** Day and previous day again (after a change of the workspace's zone), with the counts rebuilt. */
    static void rebuild(Connection c, String tenantId, ZoneId zone) throws SQLException {
        MonthTwins.touchedAll(c, "lead_daily", tenantId);
        Sql.update(c, "DELETE FROM lead_daily WHERE tenant_id = ?", tenantId);
        Sql.update(c, "UPDATE contacts SET day = CAST(timezone(?, at) AS date), prev_day = NULL WHERE tenant_id = ?", zone.getId(), tenantId);
        previousDays(c, tenantId, "true");
        try (PreparedStatement s = c.prepareStatement(COUNTS.replace("(person = ANY(?) OR contact_id = ANY(?))", "true"))) {
            for (int i = 1; i <= 5; i++) {
                s.setInt(i, 1);
            }
            s.setString(6, tenantId);
            Set<LocalDate> days = new java.util.HashSet<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    days.add(rs.getDate(1).toLocalDate());
                }
            }
            MonthTwins.touched(c, "lead_daily", tenantId, days);
        }
    }

    /** Each non-junk contact's previous non-junk contact day, per person (junk has none). */
    private static void previousDays(Connection c, String tenantId, String persons, Object... params) throws SQLException {
        Object[] all = new Object[params.length * 2 + 2];
        all[0] = tenantId;
        System.arraycopy(params, 0, all, 1, params.length);
        all[params.length + 1] = tenantId;
        System.arraycopy(params, 0, all, params.length + 2, params.length);
        Sql.update(c, "UPDATE contacts c SET prev_day = p.prev FROM (SELECT contact_id, lag(day) OVER (PARTITION BY person ORDER BY at, contact_id) AS prev"
                + " FROM contacts WHERE tenant_id = ? AND NOT junk AND " + persons + ") p"
                + " WHERE c.contact_id = p.contact_id AND c.tenant_id = ? AND c.prev_day IS DISTINCT FROM p.prev AND " + persons.replace("person", "c.person"),
                all);
        Object[] junk = new Object[params.length + 1];
        junk[0] = tenantId;
        System.arraycopy(params, 0, junk, 1, params.length);
        Sql.update(c, "UPDATE contacts SET prev_day = NULL WHERE tenant_id = ? AND junk AND prev_day IS NOT NULL AND " + persons, junk);
    }

    private static void count(Connection c, String tenantId, int sign, String[] people, String[] ids) throws SQLException {
        List<Object[]> empty = new ArrayList<>();
        Set<LocalDate> days = new java.util.HashSet<>();
        try (PreparedStatement s = Sql.prepare(c, COUNTS, sign, sign, sign, sign, sign, tenantId, people, ids); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                days.add(rs.getDate(1).toLocalDate());
                if (rs.getBoolean("empty")) {
                    empty.add(new Object[] {rs.getDate(1), rs.getDate(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                            rs.getString(7), rs.getString(8)});
                }
            }
        }
        if (!empty.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM lead_daily WHERE tenant_id = ? AND day = ? AND prev_day = ? AND site_key = ?"
                    + " AND channel = ? AND source = ? AND medium = ? AND campaign = ? AND keyword = ? AND raw = 0 AND junk = 0 AND returning_leads = 0"
                    + " AND candidates = 0 AND raw_candidates = 0")) {
                for (Object[] k : empty) {
                    s.setString(1, tenantId);
                    for (int i = 0; i < k.length; i++) {
                        s.setObject(i + 2, k[i]);
                    }
                    s.addBatch();
                }
                s.executeBatch();
            }
        }
        MonthTwins.touched(c, "lead_daily", tenantId, days);
    }
}
