package io.throughline.tracking.store;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.throughline.tracking.domain.EventType;
import io.throughline.tracking.domain.Hit;
import io.throughline.tracking.domain.JunkReason;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Form leads as reporting-service counts them: one document per stored lead (keyed like its hit), junk or not, with
 * the session it was sent in, stamped {@code changed_at} when stored and again when identity-service linked it to
 * a person. Reporting reads the changes after a cursor, a little behind the clock so that a write in flight is never
 * skipped.
 */
@ApplicationScoped
public class ContactStore {

    private final TrackingCollections collections;
    /** How far behind now a reader stays: writes stamped earlier are done by then. */
    private final Duration lag;

    public ContactStore(TrackingCollections collections, io.throughline.tracking.config.TrackingConfig config) {
        this.collections = collections;
        this.lag = config.feedLag();
    }

    /** Records the lead hits among freshly stored hits (a repeat changes nothing). */
    public void recordLeads(List<Hit> hits, Map<String, String> sessionOf) {
        for (Hit h : hits) {
            if (h.type() != EventType.LEAD) {
                continue;
            }
            // Stamped right before its own write: a stamp taken once for a long batch (an import) could be older than the
            // feed's lag by the time the last contact is written, and a reader's cursor would already have passed it.
            Date now = new Date();
            Document fields = new Document("tenant_id", h.tenantId()).append("site_id", h.siteId()).append("visitor_id", h.visitorId())
                    .append("session_id", sessionOf.get(h.eventId())).append("occurred_at", Date.from(h.occurredAt()))
                    .append("junk", h.excluded()).append("junk_reasons", h.reasons().stream().map(JunkReason::code).toList())
                    .append("changed_at", now);
            List<Bson> updates = new ArrayList<>();
            fields.forEach((k, v) -> updates.add(Updates.setOnInsert(k, v)));
            collections.contacts().updateOne(Filters.eq("_id", HitDocuments.hitKey(h.tenantId(), h.eventId())), Updates.combine(updates),
                    new UpdateOptions().upsert(true));
        }
    }

    /** identity-service linked the event (a lead or an identify: only leads have a contact) to this person. */
    public void linked(String eventKey, String personId, String verdict) {
        collections.contacts().updateOne(Filters.eq("_id", eventKey), Updates.combine(Updates.set("person_id", personId),
                Updates.set("verdict", verdict), Updates.set("changed_at", new Date())));
    }

    /** The session's leads turned junk (it was found a bot's after they were stored): reporting reads them again. */
    public void sessionTurnedBot(String tenantId, String sessionId) {
        collections.contacts().updateMany(Filters.and(Filters.eq("tenant_id", tenantId), Filters.eq("session_id", sessionId)),
                Updates.set("changed_at", new Date()));
    }

    /** A changed contact with the keys of the session it came from (a deleted session leaves them empty). */
    public record Change(Document contact, Document session) {
    }

    /** Up to {@code limit} contacts changed after the cursor, oldest change first, and the cursor after them. */
    public List<Change> changes(ChangeCursor after, int limit) {
        Bson filter = after.after(Date.from(Instant.now().minus(lag)));
        List<Document> contacts = collections.contacts().find(filter).sort(Sorts.ascending("changed_at", "_id")).limit(limit)
                .into(new ArrayList<>());
        List<String> sessionIds = contacts.stream().map(c -> c.getString("session_id")).filter(s -> s != null).distinct().toList();
        Map<String, Document> sessions = new HashMap<>();
        if (!sessionIds.isEmpty()) {
            collections.sessions().find(Filters.in("_id", sessionIds))
                    .projection(Projections.include("channel", "campaign", "click_ids", "excluded", "exclusion_reasons"))
                    .forEach(s -> sessions.put(s.getString("_id"), s));
        }
        List<Change> out = new ArrayList<>(contacts.size());
        for (Document c : contacts) {
            out.add(new Change(c, sessions.get(c.getString("session_id"))));
        }
        return out;
    }
}
