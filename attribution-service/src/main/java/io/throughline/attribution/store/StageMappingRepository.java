package io.throughline.attribution.store;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class StageMappingRepository implements PanacheRepositoryBase<StageMappingEntity, StageMappingEntity.Key> {

    public Uni<List<StageMappingEntity>> forTenant(String tenantId, String crm) {
        return crm == null
                ? list("id.tenantId = ?1 order by id.crm, canonicalStage, id.stageKey", tenantId)
                : list("id.tenantId = ?1 and id.crm = ?2 order by canonicalStage, id.stageKey", tenantId, crm);
    }

    public Uni<Long> deleteCrm(String tenantId, String crm) {
        return delete("id.tenantId = ?1 and id.crm = ?2", tenantId, crm);
    }
}
