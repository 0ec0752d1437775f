package io.throughline.reporting.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.throughline.commons.sql.Sql;
import io.throughline.reporting.domain.facts.CohortContributions;
import io.throughline.reporting.domain.facts.Contribution;
import io.throughline.reporting.domain.facts.DealContributions;
import io.throughline.reporting.domain.facts.DealChange;
import io.throughline.reporting.domain.facts.DealFact;
import io.throughline.reporting.domain.facts.Keys;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deals, their payments and journeys as reporting holds them, with the aggregates they feed (deals, funnel, managers,
 * cohorts) kept in step: a batch of changed deals (or journeys) takes back what the old facts contributed, stores
 * the new ones and adds theirs, for the deals and for every person whose deals changed (a customer's cohort depends on
 * all their deals), in the caller's transaction.
 */
final class DealFacts {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DealFacts() {
    }

    /** Stores changed deals (their journeys stay), keeping aggregates and the deals' contacts in step. */
    static void applyDeals(Connection c, String tenantId, String zone, List<DealChange> deals) throws SQLException {
        List<String> ids = deals.stream().map(d -> d.fact().dealId()).toList();
        Map<String, DealFact> before = load(c, tenantId, "d.deal_id = ANY(?)", (Object) ids.toArray(String[]::new));
        Map<String, DealFact.Journey> journeys = journeys(c, tenantId, ids);
        Map<String, DealFact> after = new LinkedHashMap<>();
        for (DealChange in : deals) {
            DealFact f = in.fact();
            after.put(f.dealId(), withJourney(f, journeys.get(f.dealId())));
        }
        change(c, tenantId, zone, before, after, () -> {
            for (DealChange in : deals) {
                write(c, tenantId, in, after.get(in.fact().dealId()));
            }
        });
        ContactFacts.applyDeals(c, tenantId, zone, new ArrayList<>(after.values()));
    }

    /** Stores the default series' journeys of deals (held apart until reporting has the deal itself). */
    static void applyJourneys(Connection c, String tenantId, String zone, Map<String, DealFact.Journey> journeys) throws SQLException {
        List<String> ids = new ArrayList<>(journeys.keySet());
        Map<String, DealFact> before = load(c, tenantId, "d.deal_id = ANY(?)", (Object) ids.toArray(String[]::new));
        Map<String, DealFact> after = new LinkedHashMap<>();
        before.forEach((id, f) -> after.put(id, withJourney(f, journeys.get(id))));
        change(c, tenantId, zone, before, after, () -> {
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO deal_journeys (tenant_id, deal_id, person_key, touches, channel, source, medium, campaign, keyword)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, deal_id) DO UPDATE SET person_key = EXCLUDED.person_key,
                        touches = EXCLUDED.touches, channel = EXCLUDED.channel, source = EXCLUDED.source, medium = EXCLUDED.medium,
                        campaign = EXCLUDED.campaign, keyword = EXCLUDED.keyword""")) {
                for (Map.Entry<String, DealFact.Journey> e : journeys.entrySet()) {
                    DealFact.Journey j = e.getValue();
                    Object[] v = {tenantId, e.getKey(), j.personKey(), j.touches(), j.lead().channel(), j.lead().source(), j.lead().medium(),
                            j.lead().campaign(), j.lead().keyword()};
                    for (int i = 0; i < v.length; i++) {
                        s.setObject(i + 1, v[i]);
                    }
                    s.addBatch();
                }
                s.executeBatch();
            }
            for (DealFact f : after.values()) {
                Sql.update(c, "UPDATE deals SET person = ? WHERE tenant_id = ? AND deal_id = ?", f.person(), tenantId, f.dealId());
            }
        });
        ContactFacts.applyDeals(c, tenantId, zone, new ArrayList<>(after.values()));
    }

    /** Everything again from the stored facts (after a change of the workspace's zone). */
    static void rebuild(Connection c, String tenantId, String zone) throws SQLException {
        Aggregates.clear(c, tenantId, io.throughline.reporting.domain.facts.AggregateTables.DEAL_DAILY,
                io.throughline.reporting.domain.facts.AggregateTables.FUNNEL_DAILY, io.throughline.reporting.domain.facts.AggregateTables.MANAGER_DAILY,
                io.throughline.reporting.domain.facts.AggregateTables.MANAGER_REVENUE, io.throughline.reporting.domain.facts.AggregateTables.COHORT_REVENUE,
                io.throughline.reporting.domain.facts.AggregateTables.COHORT_PEOPLE);
        Sql.update(c, "DELETE FROM customers WHERE tenant_id = ?", tenantId);
        Map<String, DealFact> all = load(c, tenantId, "true");
        List<Contribution> out = new ArrayList<>();
        Map<String, List<DealFact>> byPerson = new HashMap<>();
        for (DealFact f : all.values()) {
            out.addAll(DealContributions.of(zone, f));
            byPerson.computeIfAbsent(f.person(), p -> new ArrayList<>()).add(f);
        }
        for (Map.Entry<String, List<DealFact>> p : byPerson.entrySet()) {
            CohortContributions.Result r = CohortContributions.of(zone, p.getKey(), p.getValue());
            out.addAll(r.contributions());
            r.customer().ifPresent(cu -> customer(c, tenantId, cu));
        }
        Aggregates.apply(c, tenantId, out);
        ContactFacts.applyDeals(c, tenantId, zone, new ArrayList<>(all.values()));
    }

    private interface Write {
        void run() throws SQLException;
    }

    /** Old contributions out, the write, new contributions in: for the deals, and for all deals of every person touched. */
    private static void change(Connection c, String tenantId, String zone, Map<String, DealFact> before, Map<String, DealFact> after, Write write)
            throws SQLException {
        List<Contribution> delta = new ArrayList<>();
        before.values().forEach(f -> DealContributions.of(zone, f).forEach(k -> delta.add(k.negated())));
        Set<String> persons = new LinkedHashSet<>();
        before.values().forEach(f -> persons.add(f.person()));
        after.values().forEach(f -> persons.add(f.person()));
        String[] people = persons.toArray(String[]::new);
        cohorts(zone, load(c, tenantId, "d.person = ANY(?)", (Object) people)).forEach((p, r) -> r.contributions().forEach(k -> delta.add(k.negated())));
        write.run();
        after.values().forEach(f -> delta.addAll(DealContributions.of(zone, f)));
        Sql.update(c, "DELETE FROM customers WHERE tenant_id = ? AND person = ANY(?)", tenantId, people);
        for (Map.Entry<String, CohortContributions.Result> e : cohorts(zone, load(c, tenantId, "d.person = ANY(?)", (Object) people)).entrySet()) {
            delta.addAll(e.getValue().contributions());
            e.getValue().customer().ifPresent(cu -> customer(c, tenantId, cu));
        }
        Aggregates.apply(c, tenantId, delta);
    }

    private static Map<String, CohortContributions.Result> cohorts(String zone, Map<String, DealFact> deals) {
        Map<String, List<DealFact>> byPerson = new LinkedHashMap<>();
        deals.values().forEach(f -> byPerson.computeIfAbsent(f.person(), p -> new ArrayList<>()).add(f));
        Map<String, CohortContributions.Result> out = new LinkedHashMap<>();
        byPerson.forEach((p, list) -> out.put(p, CohortContributions.of(zone, p, list)));
        return out;
    }

    private static void customer(Connection c, String tenantId, CohortContributions.Customer cu) {
        try {
            Sql.update(c, """
                    INSERT INTO customers (tenant_id, person, first_paid_at, cohort_month, channel, source, medium, campaign, keyword)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", tenantId, cu.person(), cu.firstPaidAt(), java.sql.Date.valueOf(cu.cohortMonth().atDay(1)),
                    cu.keys().channel(), cu.keys().source(), cu.keys().medium(), cu.keys().campaign(), cu.keys().keyword());
        } catch (SQLException e) {
            throw new Sql.StoreException("storing a customer failed", e);
        }
    }

    private static void write(Connection c, String tenantId, DealChange in, DealFact f) throws SQLException {
        Sql.update(c, """
                INSERT INTO deals (tenant_id, deal_id, crm, created_at, status, furthest_stage, loss_reason, manager, currency, amount_minor, gross_ratio,
                    person_id, returning_customer, person, stages, changed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?)
                ON CONFLICT (tenant_id, deal_id) DO UPDATE SET crm = EXCLUDED.crm, created_at = EXCLUDED.created_at, status = EXCLUDED.status,
                    furthest_stage = EXCLUDED.furthest_stage, loss_reason = EXCLUDED.loss_reason, manager = EXCLUDED.manager,
                    currency = EXCLUDED.currency, amount_minor = EXCLUDED.amount_minor, gross_ratio = EXCLUDED.gross_ratio,
                    person_id = EXCLUDED.person_id, returning_customer = EXCLUDED.returning_customer, person = EXCLUDED.person, stages = EXCLUDED.stages,
                    changed_at = EXCLUDED.changed_at""", tenantId, f.dealId(), in.crm(), f.createdAt(), f.status(), f.furthestStage(),
                text(f.lossReason()), text(f.manager()), f.currency(), f.amountMinor(), f.grossRatio(), text(f.personId()), f.returning(), f.person(),
                json(f.stages().stream().map(s -> Map.of("canonical", text(s.canonical()), "entered_at", s.enteredAt().toString()))
                        .toList()), in.changedAt());
        Sql.update(c, "DELETE FROM deal_payments WHERE tenant_id = ? AND deal_id = ?", tenantId, f.dealId());
        for (DealFact.Payment p : f.payments()) {
            Sql.update(c, "INSERT INTO deal_payments (tenant_id, deal_id, payment_id, paid_at, amount_minor) VALUES (?, ?, ?, ?, ?)", tenantId, f.dealId(),
                    p.id(), p.paidAt(), p.amountMinor());
        }
    }

    private static DealFact withJourney(DealFact f, DealFact.Journey j) {
        return new DealFact(f.dealId(), f.createdAt(), f.status(), f.furthestStage(), f.lossReason(), f.manager(), f.currency(), f.amountMinor(),
                f.grossRatio(), f.personId(), f.returning(), f.stages(), f.payments(), j);
    }

    private static Map<String, DealFact.Journey> journeys(Connection c, String tenantId, List<String> ids) throws SQLException {
        Map<String, DealFact.Journey> out = new HashMap<>();
        Sql.query(c, "SELECT * FROM deal_journeys WHERE tenant_id = ? AND deal_id = ANY(?)", rs -> out.put(rs.getString("deal_id"), journey(rs)),
                tenantId, ids.toArray(String[]::new));
        return out;
    }

    private static DealFact.Journey journey(java.sql.ResultSet rs) throws SQLException {
        return new DealFact.Journey(rs.getString("person_key"), rs.getInt("touches"), new Keys(rs.getString("channel"), rs.getString("source"),
                rs.getString("medium"), rs.getString("campaign"), rs.getString("keyword")));
    }

    /** Deals matching the condition (on {@code d}), with payments and journeys. */
    static Map<String, DealFact> load(Connection c, String tenantId, String where, Object... params) throws SQLException {
        Object[] all = new Object[params.length + 1];
        all[0] = tenantId;
        System.arraycopy(params, 0, all, 1, params.length);
        Map<String, DealFact> out = new LinkedHashMap<>();
        Map<String, List<DealFact.Payment>> payments = new HashMap<>();
        Sql.query(c, "SELECT p.* FROM deal_payments p JOIN deals d ON d.tenant_id = p.tenant_id AND d.deal_id = p.deal_id WHERE p.tenant_id = ? AND "
                + where, rs -> payments.computeIfAbsent(rs.getString("deal_id"), k -> new ArrayList<>()).add(new DealFact.Payment(rs.getString("payment_id"),
                Sql.instant(rs, "paid_at"), rs.getLong("amount_minor"))), all);
        Sql.query(c, "SELECT d.*, j.person_key, j.touches, j.channel, j.source, j.medium, j.campaign, j.keyword, j.deal_id AS journey FROM deals d"
                + " LEFT JOIN deal_journeys j ON j.tenant_id = d.tenant_id AND j.deal_id = d.deal_id WHERE d.tenant_id = ? AND " + where, rs -> {
                    String id = rs.getString("deal_id");
                    List<Map<String, String>> stages;
                    try {
                        stages = JSON.readValue(rs.getString("stages"), new TypeReference<>() { });
                    } catch (java.io.IOException e) {
                        throw new SQLException("unreadable stages of deal " + id, e);
                    }
                    out.put(id, new DealFact(id, Sql.instant(rs, "created_at"), rs.getString("status"), rs.getString("furthest_stage"),
                            rs.getString("loss_reason"), rs.getString("manager"), rs.getString("currency").trim(), rs.getLong("amount_minor"),
                            rs.getDouble("gross_ratio"), rs.getString("person_id"), rs.getBoolean("returning_customer"), stages.stream().map(s ->
                                    new DealFact.Stage(s.get("canonical"), Instant.parse(s.get("entered_at")))).toList(),
                            payments.getOrDefault(id, List.of()), rs.getString("journey") == null ? null : journey(rs)));
                    return null;
                }, all);
        return out;
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
