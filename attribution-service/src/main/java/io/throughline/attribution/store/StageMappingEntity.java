package io.throughline.attribution.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

@Entity
@Table(name = "stage_mappings")
public class StageMappingEntity extends PanacheEntityBase {

    @EmbeddedId
    public Key id;

    @Column(name = "stage_name", nullable = false)
    public String stageName;

    @Column(name = "canonical_stage", nullable = false)
    public String canonicalStage;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Embeddable
    public record Key(@Column(name = "tenant_id") String tenantId, @Column(name = "crm") String crm,
            @Column(name = "stage_key") String stageKey) implements Serializable {
    }
}
