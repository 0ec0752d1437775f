package io.throughline.calltracking.api;

import io.throughline.calltracking.store.PoolEntity;
import java.time.Instant;

public record PoolView(String id, String name, String siteKey, int holdSeconds, String overflowPolicy, Instant createdAt) {

    static PoolView of(PoolEntity pool) {
        return new PoolView(pool.id.toString(), pool.name, pool.siteKey, pool.holdSeconds, pool.overflowPolicy, pool.createdAt);
    }
}
