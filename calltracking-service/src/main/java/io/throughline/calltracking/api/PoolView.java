package io.throughline.calltracking.api;

import io.throughline.calltracking.store.PoolEntity;
import java.time.Instant;
import java.util.List;

public record PoolView(String id, String name, String siteKey, int holdSeconds, String overflowPolicy, List<String> replaceNumbers,
        List<String> selectors, String displayMask, String defaultNumber, Instant createdAt) {

    static PoolView of(PoolEntity pool) {
        return new PoolView(pool.id.toString(), pool.name, pool.siteKey, pool.holdSeconds, pool.overflowPolicy, List.of(pool.replaceNumbers),
                List.of(pool.selectors), pool.displayMask, pool.defaultNumber, pool.createdAt);
    }
}
