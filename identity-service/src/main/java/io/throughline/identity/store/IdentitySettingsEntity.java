package io.throughline.identity.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "identity_settings")
public class IdentitySettingsEntity extends PanacheEntityBase {

    @Id
    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "hub_threshold", nullable = false)
    public int hubThreshold;

    @Column(name = "role_mailboxes", nullable = false)
    public String[] roleMailboxes;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
