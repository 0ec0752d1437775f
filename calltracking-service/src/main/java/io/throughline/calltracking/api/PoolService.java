package io.throughline.calltracking.api;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.throughline.calltracking.client.TrackingSites;
import io.throughline.calltracking.domain.OverflowPolicy;
import io.throughline.calltracking.store.PoolEntity;
import io.throughline.calltracking.store.PoolRepository;
import io.throughline.commons.api.ProblemException;
import io.throughline.commons.id.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Creates pools for sites that exist in tracking-service and belong to the caller's workspace. */
@ApplicationScoped
public class PoolService {

    private final PoolRepository pools;
    private final TrackingSites sites;

    public PoolService(PoolRepository pools, TrackingSites sites) {
        this.pools = pools;
        this.sites = sites;
    }

    public Uni<PoolEntity> create(String tenantId, PoolRequest request) {
        OverflowPolicy policy = request.overflowPolicy() == null ? OverflowPolicy.DEFAULT_NUMBER
                : OverflowPolicy.fromCode(request.overflowPolicy()).orElseThrow();
        return sites.byPublicKey(request.siteKey()).chain(site -> {
            // Another workspace's site reads as unknown: never reveal that it exists.
            if (site.isEmpty() || !site.get().tenantId().equals(tenantId)) {
                return Uni.createFrom().failure(ProblemException.unprocessable("site_key", "is not a site of this workspace"));
            }
            PoolEntity pool = new PoolEntity();
            pool.id = Ids.newId();
            pool.tenantId = tenantId;
            pool.siteKey = request.siteKey();
            pool.name = request.name().strip();
            pool.holdSeconds = request.holdSeconds() == null ? PoolRequest.DEFAULT_HOLD_SECONDS : request.holdSeconds();
            pool.overflowPolicy = policy.code();
            pool.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            return persist(tenantId, pool);
        });
    }

    private Uni<PoolEntity> persist(String tenantId, PoolEntity pool) {
        return Panache.withTransaction(() -> pools.count("tenantId = ?1 and name = ?2", tenantId, pool.name)
                .chain(taken -> taken > 0
                        ? Uni.createFrom().failure(ProblemException.conflict("A pool named '" + pool.name + "' already exists"))
                        : pools.persist(pool)));
    }
}
