package io.throughline.attribution.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.throughline.attribution.domain.StageNames;
import io.throughline.attribution.domain.deals.DealSnapshot;
import io.throughline.commons.id.Ids;
import io.throughline.commons.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Deals, converging: the deal's fields are replaced only by a snapshot at least as new (by the CRM's modification
 * time) as the stored one; stages and payments are merged by their keys (a payment's amount and date follow the
 * newest snapshot). Any order and any number of deliveries of the same snapshots end in the same state. Runs read them
 * through {@link RunDeals}.
 */
@ApplicationScoped
public class Deals {

    /** A stored deal with its history and what has been paid (payments minus refunds). */
    public record Deal(UUID id, String tenantId, String crm, String externalId, String title, String pipeline, String stage, String canonicalStage,
            String status, String lossReason, String currency, long amountMinor, Long costMinor, String productLine, String manager,
            DealSnapshot.Contact contact, Instant createdAt, Instant updatedAt, List<Stage> stages, List<DealSnapshot.Payment> payments,
            long paidMinor) {
    }

    public record Stage(String stage, String canonicalStage, Instant enteredAt) {
    }

    /** The outcome of an upsert: the deal's id, and whether this snapshot became the deal's state. */
    public record Upsert(UUID id, boolean created, boolean applied) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String UPSERT = """
            INSERT INTO deals AS d (id, tenant_id, crm, external_id, title, pipeline, stage, canonical_stage, status, loss_reason, currency,
                amount_minor, cost_minor, product_line, manager, contact, crm_created_at, crm_updated_at, received_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, now())
            ON CONFLICT (tenant_id, crm, external_id) DO UPDATE SET title = EXCLUDED.title, pipeline = EXCLUDED.pipeline, stage = EXCLUDED.stage,
                canonical_stage = EXCLUDED.canonical_stage, status = EXCLUDED.status, loss_reason = EXCLUDED.loss_reason,
                currency = EXCLUDED.currency, amount_minor = EXCLUDED.amount_minor, cost_minor = EXCLUDED.cost_minor,
                product_line = EXCLUDED.product_line, manager = EXCLUDED.manager, contact = EXCLUDED.contact,
                crm_created_at = COALESCE(d.crm_created_at, EXCLUDED.crm_created_at), crm_updated_at = EXCLUDED.crm_updated_at,
                received_at = EXCLUDED.received_at,
                identity_linked = d.identity_linked AND d.contact = EXCLUDED.contact, next_attempt_at = now(), attempts = 0
             WHERE d.crm_updated_at <= EXCLUDED.crm_updated_at
            RETURNING id, (xmax = 0) AS created""";

    private final DataSource db;

    public Deals(DataSource db) {
        this.db = db;
    }

    public Upsert upsert(String tenantId, DealSnapshot s) {
        return Sql.transaction(db, c -> {
            String canonical = canonical(c, tenantId, s.crm(), s.stage(), s.status());
            List<Upsert> written = Sql.query(c, UPSERT, rs -> new Upsert(rs.getObject("id", UUID.class), rs.getBoolean("created"), true), Ids.newId(),
                    tenantId, s.crm(), s.externalId(), s.title(), s.pipeline(), s.stage(), canonical, s.status(), s.lossReason(), s.currency(),
                    s.amountMinor(), s.costMinor(), s.productLine(), s.manager(), json(s.contact()), s.createdAt(), s.updatedAt());
            Upsert result = written.isEmpty()
                    ? new Upsert(Sql.query(c, "SELECT id FROM deals WHERE tenant_id = ? AND crm = ? AND external_id = ?",
                            rs -> rs.getObject(1, UUID.class), tenantId, s.crm(), s.externalId()).get(0), false, false)
                    : written.get(0);
            for (DealSnapshot.Stage stage : s.stages()) {
                Sql.update(c, "INSERT INTO deal_stages (deal_id, stage, canonical_stage, entered_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                        result.id(), stage.stage(), canonical(c, tenantId, s.crm(), stage.stage(), null), stage.enteredAt());
            }
            for (DealSnapshot.Payment p : s.payments()) {
                Sql.update(c, "INSERT INTO deal_payments AS p (deal_id, external_id, kind, amount_minor, paid_at) VALUES (?, ?, ?, ?, ?) "
                        + "ON CONFLICT (deal_id, external_id) DO UPDATE SET kind = EXCLUDED.kind, amount_minor = EXCLUDED.amount_minor, "
                        + "paid_at = EXCLUDED.paid_at WHERE ?", result.id(), p.externalId(), p.kind(), p.amountMinor(), p.paidAt(), result.applied());
            }
            Sql.update(c, "UPDATE deals SET changed_at = clock_timestamp(), feed_at = clock_timestamp() WHERE id = ?", result.id());
            AudienceStore.markDeal(c, result.id());
            return result;
        });
    }

    /** A deal whose contact waits to be linked, or whose payments wait to be reported. */
    public record Due(UUID id, String tenantId, String crm, String externalId, DealSnapshot.Contact contact, Instant updatedAt, boolean linked,
            int attempts, List<DealSnapshot.Payment> unreported) {
    }

    /** Claims due deals for a while (SKIP LOCKED: several instances never take the same deal). */
    public List<Due> claimDue(int limit) {
        return Sql.transaction(db, c -> {
            List<Object[]> rows = Sql.query(c, """
                    UPDATE deals SET next_attempt_at = now() + interval '1 minute', attempts = attempts + 1
                     WHERE id IN (SELECT d.id FROM deals d WHERE d.next_attempt_at <= now()
                                    AND (NOT d.identity_linked OR EXISTS (SELECT 1 FROM deal_payments p WHERE p.deal_id = d.id AND NOT p.reported
                                                                          AND p.amount_minor > 0))
                                   ORDER BY d.next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED)
                    RETURNING id, tenant_id, crm, external_id, contact, crm_updated_at, identity_linked, attempts""", rs -> new Object[] {
                    rs.getObject("id", UUID.class), rs.getString("tenant_id"), rs.getString("crm"), rs.getString("external_id"),
                    contact(rs.getString("contact")), Sql.instant(rs, "crm_updated_at"), rs.getBoolean("identity_linked"), rs.getInt("attempts")}, limit);
            List<Due> due = new ArrayList<>();
            for (Object[] r : rows) {
                List<DealSnapshot.Payment> unreported = Sql.query(c, "SELECT * FROM deal_payments WHERE deal_id = ? AND NOT reported AND amount_minor > 0"
                        + " ORDER BY paid_at", p -> new DealSnapshot.Payment(p.getString("external_id"), p.getString("kind"), p.getLong("amount_minor"),
                        Sql.instant(p, "paid_at")), r[0]);
                due.add(new Due((UUID) r[0], (String) r[1], (String) r[2], (String) r[3], (DealSnapshot.Contact) r[4], (Instant) r[5], (Boolean) r[6],
                        (Integer) r[7], unreported));
            }
            return due;
        });
    }

    /**
     * The contact as of {@code updatedAt} is linked (unless a newer snapshot changed it meanwhile), to this person
     * (null: the contact had no identifiers).
     */
    public void linked(UUID id, Instant updatedAt, String personId, String verdict) {
        Sql.transaction(db, c -> {
            AudienceStore.markDeal(c, id); // the person it had, if it changes
            Sql.update(c, """
                UPDATE deals SET identity_linked = true, person_id = COALESCE(?, person_id), verdict = COALESCE(?, verdict),
                    feed_at = CASE WHEN CAST(? AS text) IS NULL OR person_id IS NOT DISTINCT FROM CAST(? AS text) THEN feed_at ELSE clock_timestamp() END
                 WHERE id = ? AND crm_updated_at = ?""", personId, verdict, personId, personId, id, updatedAt);
            return AudienceStore.markDeal(c, id);
        });
    }

    /** A deal's person as identity-service now resolves its contact (after a split); both persons are re-evaluated. */
    public void relinked(UUID id, String personId) {
        Sql.transaction(db, c -> {
            AudienceStore.markDeal(c, id);
            Sql.update(c, "UPDATE deals SET person_id = ?, feed_at = clock_timestamp() WHERE id = ? AND person_id IS DISTINCT FROM ?", personId, id, personId);
            return AudienceStore.markDeal(c, id);
        });
    }

    public void reported(UUID id, String paymentId) {
        Sql.transaction(db, c -> Sql.update(c, "UPDATE deal_payments SET reported = true WHERE deal_id = ? AND external_id = ?", id, paymentId));
    }

    /** Done for now (everything delivered) or due again at {@code retryAt} with the error. */
    public void settle(UUID id, Instant retryAt, String error) {
        Sql.transaction(db, c -> Sql.update(c, "UPDATE deals SET next_attempt_at = COALESCE(?, now()), last_error = ? WHERE id = ?",
                retryAt, error, id));
    }

    public Optional<Deal> find(String tenantId, UUID id) {
        return Sql.transaction(db, c -> {
            List<Deal> deals = Sql.query(c, "SELECT * FROM deals WHERE tenant_id = ? AND id = ?", rs -> row(c, rs), tenantId, id);
            return deals.stream().findFirst();
        });
    }

    /** Newest first by the CRM's modification time, after the cursor when given. */
    public List<Deal> page(String tenantId, String crm, String status, Instant afterUpdated, UUID afterId, int limit) {
        return Sql.transaction(db, c -> Sql.query(c, """
                SELECT * FROM deals WHERE tenant_id = ? AND (CAST(? AS text) IS NULL OR crm = ?) AND (CAST(? AS text) IS NULL OR status = ?)
                   AND (CAST(? AS timestamptz) IS NULL OR (crm_updated_at, id) < (?, ?))
                 ORDER BY crm_updated_at DESC, id DESC LIMIT ?""", rs -> row(c, rs), tenantId, crm, crm, status, status, afterUpdated, afterUpdated,
                afterId, limit));
    }

    /** Whether any deal changed after {@code changedAfter}, or has a milestone or money event in (cutoff, now]. */
    public boolean changedSince(String tenantId, Instant changedAfter, Instant cutoff, Instant now) {
        return Sql.transaction(db, c -> Sql.query(c, """
                SELECT EXISTS (SELECT 1 FROM deals WHERE tenant_id = ? AND (changed_at > ? OR crm_created_at > ? AND crm_created_at <= ?))
                    OR EXISTS (SELECT 1 FROM deal_payments p JOIN deals d ON d.id = p.deal_id WHERE d.tenant_id = ? AND p.paid_at > ? AND p.paid_at <= ?)
                    OR EXISTS (SELECT 1 FROM deal_stages s JOIN deals d ON d.id = s.deal_id WHERE d.tenant_id = ? AND s.entered_at > ?
                                  AND s.entered_at <= ?)""", rs -> rs.getBoolean(1), tenantId, changedAfter, cutoff, now, tenantId, cutoff, now,
                tenantId, cutoff, now).get(0));
    }

    /** A newer contact for a stored deal (a CRM that sends contacts apart): stored and linked again; false when no such deal. */
    public boolean updateContact(String tenantId, String crm, String externalId, DealSnapshot.Contact contact) {
        return Sql.transaction(db, c -> Sql.update(c, """
                UPDATE deals SET contact = CAST(? AS jsonb), identity_linked = false, next_attempt_at = now(), attempts = 0, changed_at = clock_timestamp(),
                    feed_at = clock_timestamp()
                 WHERE tenant_id = ? AND crm = ? AND external_id = ? AND contact <> CAST(? AS jsonb)""", json(contact), tenantId, crm, externalId,
                json(contact)) > 0);
    }

    /** The visitor id stored with a deal's contact (sent with the deal by amoCRM, kept when its contact arrives apart). */
    public String visitorOf(String tenantId, String crm, String externalId) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT contact ->> 'visitorId' FROM deals WHERE tenant_id = ? AND crm = ? AND external_id = ?",
                rs -> rs.getString(1), tenantId, crm, externalId)).stream().filter(v -> v != null).findFirst().orElse(null);
    }

    /** What identity-service erased of a person: CRM contact ids, e-mails, phones (E.164), visitor ids and client ids. */
    /** A deal linked to one of these persons, with its contact (to resolve again after identity split the person). */
    public record Linked(UUID id, String personId, DealSnapshot.Contact contact) {
    }

    public List<Linked> linkedTo(String tenantId, java.util.Collection<String> persons) {
        return Sql.transaction(db, c -> Sql.query(c, """
                SELECT id, person_id, contact FROM deals WHERE tenant_id = ? AND person_id = ANY(?)
                UNION SELECT d.id, d.person_id, d.contact FROM person_aliases a JOIN deals d ON d.tenant_id = a.tenant_id AND d.person_id = a.person_id
                WHERE a.tenant_id = ? AND a.canonical = ANY(?)""",
                rs -> new Linked(rs.getObject(1, UUID.class), rs.getString(2), contact(rs.getString(3))), tenantId,
                persons.toArray(String[]::new), tenantId, persons.toArray(String[]::new)));
    }

    public record Erased(Set<String> crmContactIds, Set<String> emails, Set<String> phones, Set<String> visitorIds, Set<String> clientIds) {
    }

    /**
     * Wipes the contact (and the title) of every deal of the workspace whose contact holds one of the erased
     * identifiers, drops amoCRM contacts kept for them and the person from stored journeys; answers how many deals.
     * E-mails compare case-insensitively, phones after normalizing the deal's to E.164.
     */
    public int erase(String tenantId, Erased erased) {
        Set<String> emails = erased.emails().stream().map(e -> e.toLowerCase(java.util.Locale.ROOT)).collect(java.util.stream.Collectors.toSet());
        return Sql.transaction(db, c -> {
            List<Object[]> candidates = Sql.query(c, "SELECT id, crm, external_id, contact FROM deals WHERE tenant_id = ? AND contact <> '{}'",
                    rs -> new Object[] {rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), contact(rs.getString(4))}, tenantId);
            List<UUID> ids = new ArrayList<>();
            for (Object[] d : candidates) {
                DealSnapshot.Contact k = (DealSnapshot.Contact) d[3];
                boolean match = in(erased.crmContactIds(), k.crmContactId()) || in(erased.visitorIds(), k.visitorId())
                        || in(erased.clientIds(), k.gaClientId()) || in(erased.clientIds(), k.ymClientId())
                        || k.emails().stream().anyMatch(e -> emails.contains(e.toLowerCase(java.util.Locale.ROOT)))
                        || k.phones().stream().anyMatch(p -> in(erased.phones(), io.throughline.commons.phone.PhoneCheck.check(p, "RU").e164()));
                if (match) {
                    ids.add((UUID) d[0]);
                    Sql.update(c, "DELETE FROM crm_deal_contacts WHERE tenant_id = ? AND crm = ? AND external_id = ?", tenantId, d[1], d[2]);
                }
            }
            UUID[] wiped = ids.toArray(UUID[]::new);
            Sql.update(c, "UPDATE deals SET contact = '{}', title = NULL, identity_linked = true, changed_at = clock_timestamp(), feed_at = clock_timestamp()"
                    + " WHERE id = ANY(?)",
                    (Object) wiped);
            Sql.update(c, "UPDATE run_deals SET person_key = 'erased' WHERE deal_id = ANY(?)", (Object) wiped);
            return wiped.length;
        });
    }

    private static boolean in(Set<String> values, String value) {
        return value != null && values.contains(value);
    }

    /** The tenant's mapping of the stage name, else what the status says (won, lost), else none. */
    private static String canonical(Connection c, String tenantId, String crm, String stage, String status) throws SQLException {
        if (stage != null) {
            List<String> mapped = Sql.query(c, "SELECT canonical_stage FROM stage_mappings WHERE tenant_id = ? AND crm = ? AND stage_key = ?",
                    rs -> rs.getString(1), tenantId, crm, StageNames.key(stage));
            if (!mapped.isEmpty()) {
                return mapped.get(0);
            }
        }
        return "won".equals(status) || "lost".equals(status) ? status : null;
    }

    private static Deal row(Connection c, ResultSet rs) throws SQLException {
        UUID id = rs.getObject("id", UUID.class);
        List<Stage> stages = Sql.query(c, "SELECT * FROM deal_stages WHERE deal_id = ? ORDER BY entered_at, stage", r -> new Stage(r.getString("stage"),
                r.getString("canonical_stage"), Sql.instant(r, "entered_at")), id);
        List<DealSnapshot.Payment> payments = Sql.query(c, "SELECT * FROM deal_payments WHERE deal_id = ? ORDER BY paid_at, external_id",
                r -> new DealSnapshot.Payment(r.getString("external_id"), r.getString("kind"), r.getLong("amount_minor"), Sql.instant(r, "paid_at")), id);
        long paid = payments.stream().mapToLong(DealSnapshot.Payment::amountMinor).sum();
        return new Deal(id, rs.getString("tenant_id"), rs.getString("crm"), rs.getString("external_id"), rs.getString("title"), rs.getString("pipeline"),
                rs.getString("stage"), rs.getString("canonical_stage"), rs.getString("status"), rs.getString("loss_reason"), rs.getString("currency"),
                rs.getLong("amount_minor"), (Long) rs.getObject("cost_minor"), rs.getString("product_line"), rs.getString("manager"),
                contact(rs.getString("contact")), Sql.instant(rs, "crm_created_at"), Sql.instant(rs, "crm_updated_at"), stages, payments, paid);
    }

    private static String json(DealSnapshot.Contact contact) {
        try {
            return JSON.writeValueAsString(contact == null ? DealSnapshot.Contact.NONE : contact);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static DealSnapshot.Contact contact(String json) {
        try {
            return json == null || json.equals("{}") ? DealSnapshot.Contact.NONE : JSON.readValue(json, DealSnapshot.Contact.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
