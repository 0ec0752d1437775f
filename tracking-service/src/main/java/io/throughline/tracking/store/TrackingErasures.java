package io.throughline.tracking.store;

import com.mongodb.client.model.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.conversions.Bson;

/** Deletes everything tracking holds of erased visitors: hits, sessions, visitor states, queued links. */
@ApplicationScoped
public class TrackingErasures {

    private final TrackingCollections collections;
    private final IdentityOutbox outbox;

    public TrackingErasures(TrackingCollections collections, IdentityOutbox outbox) {
        this.collections = collections;
        this.outbox = outbox;
    }

    public Map<String, Long> eraseVisitors(String tenantId, List<String> visitorIds) {
        Map<String, Long> deleted = new LinkedHashMap<>();
        if (visitorIds.isEmpty()) {
            return Map.of("hits", 0L, "sessions", 0L, "visitors", 0L, "contacts", 0L, "identity_outbox", 0L);
        }
        Bson byVisitor = Filters.and(Filters.eq("tenant_id", tenantId), Filters.in("visitor_id", visitorIds));
        deleted.put("hits", collections.hits().deleteMany(byVisitor).getDeletedCount());
        deleted.put("sessions", collections.sessions().deleteMany(byVisitor).getDeletedCount());
        deleted.put("visitors", collections.visitors().deleteMany(byVisitor).getDeletedCount());
        deleted.put("contacts", collections.contacts().deleteMany(byVisitor).getDeletedCount());
        deleted.put("identity_outbox", outbox.deleteVisitors(tenantId, visitorIds));
        return deleted;
    }
}
