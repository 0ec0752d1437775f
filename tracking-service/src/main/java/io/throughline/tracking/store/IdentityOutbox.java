package io.throughline.tracking.store;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.throughline.commons.secrets.SecretBox;
import io.throughline.tracking.config.TrackingSecrets;
import io.throughline.tracking.domain.IdentityLink;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.bson.Document;

/**
 * Identity links waiting for identity-service: written with the hits (before them, so a stored lead always has
 * its link queued), deleted once delivered. Raw e-mails, phones and user ids live here only until delivery, sealed
 * with the tracking key ring ({@link TrackingSecrets}; values queued before sealing still read), so a copy of the store
 * holds none in the clear. Visitor and cookie ids stay plain: an erasure finds links by them.
 */
@ApplicationScoped
public class IdentityOutbox {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(IdentityOutbox.class);
    private static final java.time.Duration KEY_WAIT = java.time.Duration.ofMinutes(5);
    private static final Set<IdentityLink.Kind> SEALED = Set.of(IdentityLink.Kind.EMAIL, IdentityLink.Kind.PHONE, IdentityLink.Kind.USER_ID);

    private final TrackingCollections collections;
    private final SecretBox box;
    private final AtomicReference<Runnable> onEnqueue = new AtomicReference<>(() -> { });

    public IdentityOutbox(TrackingCollections collections, TrackingSecrets secrets) {
        this.collections = collections;
        this.box = secrets.box().orElse(null);
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
                    .map(i -> new Document("kind", i.kind().name()).append("value", seal(link.tenantId(), i))).toList();
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
                .sort(Sorts.ascending("next_attempt_at")).limit(limit).forEach(d -> {
                    try {
                        out.add(pending(d));
                    } catch (IllegalArgumentException | IllegalStateException unopened) {
                        // Sealed under a key that is not configured: it waits (never parked, never dropped) for the key.
                        LOG.warnf("Identity link %s waits: %s", d.get("_id"), unopened.getMessage());
                        collections.outbox().updateOne(Filters.eq("_id", d.get("_id")), Updates.combine(
                                Updates.set("next_attempt_at", Date.from(now.plus(KEY_WAIT))), Updates.set("last_error", "sealed under a key not configured")));
                    }
                });
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

    /**
     * Seals again what was queued plain before sealing or under a retired key (parked links stay for inspection, so they
     * outlive a rotation). Answers how many.
     */
    public int resealRetired() {
        if (box == null) {
            return 0;
        }
        int done = 0;
        for (Document d : collections.outbox().find(Filters.in("identifiers.kind", SEALED.stream().map(Enum::name).toList()))) {
            String tenant = d.getString("tenant_id");
            List<Document> ids = d.getList("identifiers", Document.class);
            if (ids.stream().noneMatch(i -> SEALED.contains(IdentityLink.Kind.valueOf(i.getString("kind"))) && box.needsResealingText(i.getString("value")))) {
                continue;
            }
            List<Document> sealed;
            try {
                sealed = ids.stream().map(i -> new Document("kind", i.getString("kind")).append("value",
                        seal(tenant, new IdentityLink.Identifier(IdentityLink.Kind.valueOf(i.getString("kind")), open(tenant, i))))).toList();
            } catch (IllegalArgumentException | IllegalStateException unopened) {
                LOG.warnf("Identity link %s cannot be sealed again: %s", d.get("_id"), unopened.getMessage());
                continue;
            }
            // Two instances doing this at once write equivalent values; a link delivered meanwhile is gone and stays gone.
            done += (int) collections.outbox().updateOne(Filters.eq("_id", d.get("_id")), Updates.set("identifiers", sealed)).getModifiedCount();
        }
        return done;
    }

    private String seal(String tenantId, IdentityLink.Identifier id) {
        return box != null && SEALED.contains(id.kind()) ? box.sealText(tenantId, id.value()) : id.value();
    }

    private String open(String tenantId, Document id) {
        String value = id.getString("value");
        if (!SecretBox.sealedText(value)) {
            return value;
        }
        if (box == null) {
            throw new IllegalStateException("a queued identity link is sealed, and THROUGHLINE_TRACKING_SECRET_KEYS is not configured");
        }
        return box.openText(tenantId, value);
    }

    private Pending pending(Document d) {
        List<IdentityLink.Identifier> ids = new ArrayList<>();
        for (Document i : d.getList("identifiers", Document.class)) {
            ids.add(new IdentityLink.Identifier(IdentityLink.Kind.valueOf(i.getString("kind")), open(d.getString("tenant_id"), i)));
        }
        IdentityLink link = new IdentityLink(d.getString("tenant_id"), d.getString("event_id"), d.getDate("observed_at").toInstant(),
                d.getString("phone_region"), ids);
        return new Pending(d.getString("_id"), link, d.getInteger("attempts", 0));
    }
}
