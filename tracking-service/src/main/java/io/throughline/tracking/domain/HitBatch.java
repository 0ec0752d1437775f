package io.throughline.tracking.domain;

import java.util.List;

/**
 * The hits of one accepted request (one visitor of one site) with what storing them needs: the site's session
 * timeout and phone region. This is what the spool keeps while the store is down.
 */
public record HitBatch(String tenantId, String visitorId, int sessionTimeoutMinutes, String phoneRegion, List<Hit> hits) {

    public HitBatch {
        hits = List.copyOf(hits);
    }
}
