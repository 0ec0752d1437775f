package io.throughline.tracking.store;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.throughline.tracking.domain.IdentityLink;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.bson.Document;

/**
 * Identity links waiting for identity-service: written with the hits (before them, so a stored lead always has
 * its link queued), deleted once delivered. Raw e-mails and phones live here only until delivery.
 */
@ApplicationScoped
public class IdentityOutbox {

    private final TrackingCollections collections;
    private final AtomicReference<Runnable> onEnqueue = new AtomicReference<>(() -> { });

    public IdentityOutbox(TrackingCollections collections) {
        this.collections = collections;
    }

    /** A link waiting for delivery, with how often it was tried. */
    public record Pending(String id, IdentityLink link, int attempts) {
    }

    /** Called after links were queued (the relay wakes up instead of waiting for its next round). */
    public void onEnqueue(Runnable listener) {
        onEnqueue.set(listener);
    }

    public void enqueue(List<IdentityLink> links) {
        if (links.isEmpty()) {
            return;
        }
        List<Document> docs = new ArrayList<>();
        Date now = new Date();
        for (IdentityLink link : links) {
            List<Document> ids = link.identifiers().stream()
                    .map(i -> new Document("kind", i.kind().name()).append("value", i.value())).toList();
            docs.add(new Document("_id", HitDocuments.hitKey(link.tenantId(), link.eventId()))
                    .append("tenant_id", link.tenantId()).append("event_id", link.eventId())
                    .append("observed_at", Date.from(link.observedAt()))
                    .append("phone_region", link.defaultPhoneRegion())
                    .append("identifiers", ids)
                    .append("attempts", 0).append("created_at", now).append("next_attempt_at", now));
        }
        Inserts.ignoringDuplicates(collections.outbox(), docs);
        onEnqueue.get().run();
    }

    /** Links due for an attempt, oldest first. The outbox holds only what is pending, so this reads little. */
    public List<Pending> due(Instant now, int limit) {
        List<Pending> out = new ArrayList<>();
        collections.outbox().find(Filters.and(Filters.lte("next_attempt_at", Date.from(now)), Filters.ne("parked", true)))
                .sort(Sorts.ascending("next_attempt_at")).limit(limit).forEach(d -> out.add(pending(d)));
        return out;
    }

    public void delivered(String id) {
        collections.outbox().deleteOne(Filters.eq("_id", id));
    }

    public void retryAt(String id, int attempts, Instant next, String error) {
        collections.outbox().updateOne(Filters.eq("_id", id), Updates.combine(Updates.set("attempts", attempts),
                Updates.set("next_attempt_at", Date.from(next)), Updates.set("last_error", error)));
    }

    /** A link identity-service keeps refusing: kept for inspection, no longer retried. */
    public void park(String id, int attempts, String error) {
        collections.outbox().updateOne(Filters.eq("_id", id), Updates.combine(Updates.set("attempts", attempts),
                Updates.set("parked", true), Updates.set("last_error", error)));
    }

    public long pendingCount() {
        return collections.outbox().countDocuments(Filters.ne("parked", true));
    }

    /** Removes what an erasure covers that is still queued. */
    public long deleteVisitors(String tenantId, List<String> visitorIds) {
        return collections.outbox().deleteMany(Filters.and(Filters.eq("tenant_id", tenantId),
                Filters.elemMatch("identifiers", Filters.and(Filters.eq("kind", "VISITOR_ID"), Filters.in("value", visitorIds)))))
                .getDeletedCount();
    }

    private static Pending pending(Document d) {
        List<IdentityLink.Identifier> ids = new ArrayList<>();
        for (Document i : d.getList("identifiers", Document.class)) {
            ids.add(new IdentityLink.Identifier(IdentityLink.Kind.valueOf(i.getString("kind")), i.getString("value")));
        }
        IdentityLink link = new IdentityLink(d.getString("tenant_id"), d.getString("event_id"), d.getDate("observed_at").toInstant(),
                d.getString("phone_region"), ids);
        return new Pending(d.getString("_id"), link, d.getInteger("attempts", 0));
    }
}
