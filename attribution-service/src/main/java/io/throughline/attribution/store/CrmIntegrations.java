package io.throughline.attribution.store;

import com.fasterxml.jackson.core.type.TypeReference;
import io.throughline.attribution.domain.crm.CrmSettings;
import io.throughline.attribution.domain.deals.DealSnapshot;
import io.throughline.commons.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * CRM integrations and what their webhooks leave for later: amoCRM contacts of deals (applied whichever of deal and
 * contact arrives first) and Bitrix24 deals waiting to be read from the portal. Secrets never leave this class except
 * to the checks, and are not in {@code toString}. At rest they are sealed (AES-256-GCM under the service's key ring,
 * bound to the workspace); a secret stored plain before sealing, or sealed with a retired key, is sealed again by
 * {@link #reseal}.
 */
@ApplicationScoped
public class CrmIntegrations {

    public record Integration(UUID id, String tenantId, String name, String format, String crm, String secret, String account, String restUrl,
            String currency, boolean wonIsPaid, String visitorField, Instant createdAt) {

        public CrmSettings settings() {
            return new CrmSettings(crm, currency, wonIsPaid, visitorField);
        }

        @Override
        public String toString() {
            return "CrmIntegration[" + id + ", " + tenantId + ", " + format + "]";
        }
    }

    /** The name is taken in this workspace. */
    public static final class NameTaken extends RuntimeException {
        public NameTaken() {
            super(null, null, false, false);
        }
    }

    /** A Bitrix24 deal to read. */
    public record Fetch(UUID integrationId, String externalId, int attempts, Instant claimedAt) {
    }

    private final DataSource db;
    private final io.throughline.attribution.config.AdSecrets secrets;

    public CrmIntegrations(DataSource db, io.throughline.attribution.config.AdSecrets secrets) {
        this.db = db;
        this.secrets = secrets;
    }

    /** Seals again every secret stored plain or under a retired key (several instances may run it at once); answers how many. */
    public int reseal() {
        return io.throughline.commons.secrets.SealedColumns.reseal(db, secrets.box(), "crm_integrations", "secret");
    }

    public void add(Integration i) {
        Sql.transaction(db, c -> {
            try {
                return Sql.update(c, """
                        INSERT INTO crm_integrations (id, tenant_id, name, format, crm, secret, account, rest_url, currency, won_is_paid, visitor_field,
                            created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", i.id(), i.tenantId(), i.name(), i.format(), i.crm(),
                        secrets.box().sealText(i.tenantId(), i.secret()),
                        i.account(), i.restUrl(), i.currency(), i.wonIsPaid(), i.visitorField(), i.createdAt());
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) {
                    throw new NameTaken();
                }
                throw e;
            }
        });
    }

    public Optional<Integration> find(UUID id) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM crm_integrations WHERE id = ?", this::row, id)).stream().findFirst();
    }

    public List<Integration> ofTenant(String tenantId) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT * FROM crm_integrations WHERE tenant_id = ? ORDER BY created_at, id", this::row,
                tenantId));
    }

    public boolean delete(String tenantId, UUID id) {
        return Sql.transaction(db, c -> Sql.update(c, "DELETE FROM crm_integrations WHERE tenant_id = ? AND id = ?", tenantId, id)) > 0;
    }

    /** Keeps the newest contact of a deal (by the CRM's modification time); answers whether this one is now it. */
    public boolean putContact(String tenantId, String crm, String externalId, DealSnapshot.Contact contact, Instant updatedAt) {
        return Sql.transaction(db, c -> Sql.update(c, """
                INSERT INTO crm_deal_contacts AS k (tenant_id, crm, external_id, contact, updated_at) VALUES (?, ?, ?, CAST(? AS jsonb), ?)
                ON CONFLICT (tenant_id, crm, external_id) DO UPDATE SET contact = EXCLUDED.contact, updated_at = EXCLUDED.updated_at
                 WHERE k.updated_at <= EXCLUDED.updated_at""", tenantId, crm, externalId, SettingsStore.write(contact), updatedAt) > 0);
    }

    public Optional<DealSnapshot.Contact> contact(String tenantId, String crm, String externalId) {
        return Sql.transaction(db, c -> Sql.query(c, "SELECT contact FROM crm_deal_contacts WHERE tenant_id = ? AND crm = ? AND external_id = ?",
                rs -> SettingsStore.read(rs.getString(1), new TypeReference<DealSnapshot.Contact>() { }), tenantId, crm, externalId)).stream()
                .findFirst();
    }

    /** Queues a deal to be read (a repeated event for a queued deal makes it due now). */
    public void queueFetch(UUID integrationId, String externalId) {
        Sql.transaction(db, c -> Sql.update(c, """
                INSERT INTO crm_fetches (integration_id, external_id, received_at) VALUES (?, ?, now())
                ON CONFLICT (integration_id, external_id) DO UPDATE SET received_at = now(), next_attempt_at = now()""", integrationId, externalId));
    }

    /** Claims due fetches for a minute (SKIP LOCKED: instances never read the same deal at once). */
    public List<Fetch> claimFetches(int limit) {
        return Sql.transaction(db, c -> Sql.query(c, """
                UPDATE crm_fetches SET next_attempt_at = now() + interval '1 minute', attempts = attempts + 1
                 WHERE (integration_id, external_id) IN (SELECT integration_id, external_id FROM crm_fetches WHERE next_attempt_at <= now()
                                                         ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING integration_id, external_id, attempts, now() AS claimed_at""", rs -> new Fetch(rs.getObject(1, UUID.class), rs.getString(2),
                rs.getInt(3), Sql.instant(rs, "claimed_at")), limit));
    }

    /** Done: removed unless a newer event for the deal arrived after it was claimed. */
    public void fetched(Fetch f, Instant claimedAt) {
        Sql.transaction(db, c -> Sql.update(c, "DELETE FROM crm_fetches WHERE integration_id = ? AND external_id = ? AND received_at <= ?",
                f.integrationId(), f.externalId(), claimedAt));
    }

    public void retryFetch(Fetch f, Instant at, String error) {
        Sql.transaction(db, c -> Sql.update(c, "UPDATE crm_fetches SET next_attempt_at = ?, last_error = ? WHERE integration_id = ? AND external_id = ?",
                at, error, f.integrationId(), f.externalId()));
    }

    private String open(String tenantId, String stored) {
        return io.throughline.commons.secrets.SecretBox.sealedText(stored) ? secrets.box().openText(tenantId, stored) : stored;
    }

    private Integration row(ResultSet rs) throws SQLException {
        String tenantId = rs.getString("tenant_id");
        return new Integration(rs.getObject("id", UUID.class), tenantId, rs.getString("name"), rs.getString("format"),
                rs.getString("crm"), open(tenantId, rs.getString("secret")), rs.getString("account"), rs.getString("rest_url"), rs.getString("currency"),
                rs.getBoolean("won_is_paid"), rs.getString("visitor_field"), Sql.instant(rs, "created_at"));
    }
}
