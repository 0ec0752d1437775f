package io.throughline.calltracking.store;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class PoolRepository implements PanacheRepositoryBase<PoolEntity, UUID> {

    public Uni<List<PoolEntity>> page(String tenantId, UUID after, int limit) {
        String query = after == null ? "tenantId = :tenant order by id" : "tenantId = :tenant and id > :after order by id";
        Parameters params = Parameters.with("tenant", tenantId);
        if (after != null) {
            params = params.and("after", after);
        }
        return find(query, params).range(0, limit - 1).list();
    }

    public Uni<PoolEntity> findForTenant(String tenantId, UUID id) {
        return find("tenantId = ?1 and id = ?2", tenantId, id).firstResult();
    }
}
