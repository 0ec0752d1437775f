package io.throughline.calltracking.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "pools")
public class PoolEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(name = "site_key", nullable = false)
    public String siteKey;

    @Column(nullable = false)
    public String name;

    @Column(name = "hold_seconds", nullable = false)
    public int holdSeconds;

    @Column(name = "overflow_policy", nullable = false)
    public String overflowPolicy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
