package io.throughline.reporting.store;

import io.throughline.commons.sql.Sql;
import io.throughline.reporting.domain.facts.CallFact;
import io.throughline.reporting.domain.facts.ContactFact;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Calls as calltracking judged them (no phone numbers) and the call counts per day and campaign keys; an inbound
 * call is also a contact (spam is a junk one). A changed call takes back its old counts and adds its new ones.
 */
final class CallFacts {

    private static final String COUNTS = """
            INSERT INTO call_daily AS a (tenant_id, day, site_key, channel, source, medium, campaign, keyword, calls, inbound, answered, target, first_time,
                missed, called_back, spam, unmatched, talk_seconds)
            SELECT c.tenant_id, c.day, c.site_key, c.channel, c.source, c.medium, c.campaign, c.keyword, s.sign * count(*),
                   s.sign * count(*) FILTER (WHERE inbound), s.sign * count(*) FILTER (WHERE answered), s.sign * count(*) FILTER (WHERE target),
                   s.sign * count(*) FILTER (WHERE inbound AND first_time AND NOT spam), s.sign * count(*) FILTER (WHERE missed),
                   s.sign * count(*) FILTER (WHERE called_back), s.sign * count(*) FILTER (WHERE spam),
                   s.sign * count(*) FILTER (WHERE inbound AND NOT matched), s.sign * sum(talk_seconds)
              FROM calls c, (SELECT CAST(? AS integer) AS sign) s WHERE c.tenant_id = ? AND c.call_id = ANY(?)
             GROUP BY c.tenant_id, c.day, c.site_key, c.channel, c.source, c.medium, c.campaign, c.keyword, s.sign
            ON CONFLICT (tenant_id, day, site_key, channel, source, medium, campaign, keyword) DO UPDATE SET calls = a.calls + EXCLUDED.calls,
                inbound = a.inbound + EXCLUDED.inbound, answered = a.answered + EXCLUDED.answered, target = a.target + EXCLUDED.target,
                first_time = a.first_time + EXCLUDED.first_time, missed = a.missed + EXCLUDED.missed, called_back = a.called_back + EXCLUDED.called_back,
                spam = a.spam + EXCLUDED.spam, unmatched = a.unmatched + EXCLUDED.unmatched, talk_seconds = a.talk_seconds + EXCLUDED.talk_seconds
            RETURNING day, site_key, channel, source, medium, campaign, keyword, calls = 0 AS empty""";

    private CallFacts() {
    }

    static void apply(Connection c, String tenantId, ZoneId zone, List<CallFact> calls) throws SQLException {
        if (calls.isEmpty()) {
            return;
        }
        String[] ids = calls.stream().map(CallFact::callId).toArray(String[]::new);
        count(c, tenantId, -1, ids);
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO calls (tenant_id, call_id, at, day, site_key, inbound, completed, answered, target, first_time, missed, called_back, spam, matched,
                    channel, source, medium, campaign, keyword, talk_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, call_id) DO UPDATE SET at = EXCLUDED.at, day = EXCLUDED.day, site_key = EXCLUDED.site_key,
                    inbound = EXCLUDED.inbound, completed = EXCLUDED.completed, answered = EXCLUDED.answered, target = EXCLUDED.target,
                    first_time = EXCLUDED.first_time, missed = EXCLUDED.missed, called_back = EXCLUDED.called_back, spam = EXCLUDED.spam,
                    matched = EXCLUDED.matched, channel = EXCLUDED.channel, source = EXCLUDED.source, medium = EXCLUDED.medium,
                    campaign = EXCLUDED.campaign, keyword = EXCLUDED.keyword, talk_seconds = EXCLUDED.talk_seconds""")) {
            for (CallFact k : calls) {
                Object[] v = {tenantId, k.callId(), Timestamp.from(k.at()), Date.valueOf(k.at().atZone(zone).toLocalDate()), k.siteKey(), k.inbound(),
                        k.completed(), k.answered(), k.target(), k.firstTime(), k.missed(), k.calledBack(), k.spam(), k.matched(), k.keys().channel(),
                        k.keys().source(), k.keys().medium(), k.keys().campaign(), k.keys().keyword(), k.talkSeconds()};
                for (int i = 0; i < v.length; i++) {
                    s.setObject(i + 1, v[i]);
                }
                s.addBatch();
            }
            s.executeBatch();
        }
        count(c, tenantId, 1, ids);
        List<ContactFact> contacts = new ArrayList<>();
        for (CallFact k : calls) {
            if (k.inbound()) {
                contacts.add(new ContactFact("call:" + k.callId(), "call", k.at(), k.siteKey(), k.keys(), k.person(), k.spam(), k.returning()));
            }
        }
        ContactFacts.apply(c, tenantId, zone, contacts);
    }

    static void rebuild(Connection c, String tenantId, ZoneId zone) throws SQLException {
        MonthTwins.touchedAll(c, "call_daily", tenantId);
        Sql.update(c, "DELETE FROM call_daily WHERE tenant_id = ?", tenantId);
        Sql.update(c, "UPDATE calls SET day = CAST(timezone(?, at) AS date) WHERE tenant_id = ?", zone.getId(), tenantId);
        String[] ids = Sql.query(c, "SELECT call_id FROM calls WHERE tenant_id = ?", rs -> rs.getString(1), tenantId).toArray(String[]::new);
        count(c, tenantId, 1, ids);
    }

    private static void count(Connection c, String tenantId, int sign, String[] ids) throws SQLException {
        List<Object[]> empty = new ArrayList<>();
        java.util.Set<java.time.LocalDate> days = new java.util.HashSet<>();
        try (PreparedStatement s = Sql.prepare(c, COUNTS, sign, tenantId, ids); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                days.add(rs.getDate(1).toLocalDate());
                if (rs.getBoolean("empty")) {
                    empty.add(new Object[] {rs.getDate(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                            rs.getString(7)});
                }
            }
        }
        for (Object[] k : empty) {
            Sql.update(c, "DELETE FROM call_daily WHERE tenant_id = ? AND day = ? AND site_key = ? AND channel = ? AND source = ? AND medium = ?"
                    + " AND campaign = ? AND keyword = ? AND calls = 0", tenantId, k[0], k[1], k[2], k[3], k[4], k[5], k[6]);
        }
        MonthTwins.touched(c, "call_daily", tenantId, days);
    }
}
