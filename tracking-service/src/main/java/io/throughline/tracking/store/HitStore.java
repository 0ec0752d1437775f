package io.throughline.tracking.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.throughline.tracking.config.TrackingConfig;
import io.throughline.tracking.domain.EventType;
import io.throughline.tracking.domain.Hit;
import io.throughline.tracking.domain.HitBatch;
import io.throughline.tracking.domain.IdentityLink;
import io.throughline.tracking.domain.JunkReason;
import io.throughline.tracking.domain.Sessionizer;
import io.throughline.tracking.domain.VisitorState;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Stores a visitor's batch: skips hits already stored, cuts the new ones into sessions against the visitor's
 * state (compare-and-set on a version, so concurrent batches of one visitor never both move it), upserts the
 * sessions, queues identity links, and inserts the hits last. The hit insert is the commit: a batch that
 * failed half-way is stored again in full, and what ran before the hits is idempotent or nearly so (session
 * counters of a repeated half are the one thing that can count twice).
 */
@ApplicationScoped
public class HitStore {

    private static final int CAS_ATTEMPTS = 8;
    /** Event ids a visitor document remembers as claimed: far more than a person's retries ever span. */
    private static final int CLAIMS_KEPT = 100;

    private final TrackingCollections collections;
    private final IdentityOutbox outbox;
    private final ContactStore contacts;
    private final int maxHitsPerMinute;

    public HitStore(TrackingCollections collections, IdentityOutbox outbox, ContactStore contacts, TrackingConfig config) {
        this.collections = collections;
        this.outbox = outbox;
        this.contacts = contacts;
        this.maxHitsPerMinute = config.scoring().maxHitsPerMinute();
    }

    /** The event ids of the batch that were already stored (duplicates); the others are stored now. */
    public Set<String> write(HitBatch batch) {
        String tenant = batch.tenantId();
        List<String> keys = batch.hits().stream().map(h -> HitDocuments.hitKey(tenant, h.eventId())).toList();
        Set<String> existing = new HashSet<>();
        collections.hits().find(Filters.in("_id", keys)).projection(Projections.include("event_id"))
                .forEach(d -> existing.add(d.getString("event_id")));
        List<Hit> fresh = batch.hits().stream().filter(h -> !existing.contains(h.eventId()))
                .sorted(Comparator.comparing(Hit::occurredAt)).toList();
        if (fresh.isEmpty()) {
            return existing;
        }
        Sessionizer sessionizer = new Sessionizer(Duration.ofMinutes(batch.sessionTimeoutMinutes()), maxHitsPerMinute);
        Placement placement = place(batch, fresh, sessionizer);
        placement.sessions().values().forEach(this::upsertSession);
        // The leads' contacts exist before their links are queued: the relay may deliver a link (and write its person on
        // the contact) the moment it is queued, and a contact written after that would never learn its person.
        contacts.recordLeads(placement.hits(), placement.sessionOf());
        // Queued before the hits are stored: a batch resent after a crash between the two finds its hits missing and
        // queues them again, never stored without a link.
        List<IdentityLink> links = new ArrayList<>();
        for (Hit hit : placement.hits()) {
            IdentityLink link = IdentityLink.of(hit, batch.phoneRegion());
            if (link != null) {
                links.add(link);
            }
        }
        outbox.enqueue(links);
        Map<String, Integer> seq = new java.util.HashMap<>();
        for (int i = 0; i < batch.hits().size(); i++) {
            seq.put(batch.hits().get(i).eventId(), i);
        }
        List<Document> docs = new ArrayList<>(placement.hits().size());
        for (Hit hit : placement.hits()) {
            // seq keeps the batch's order among hits of the same millisecond.
            docs.add(HitDocuments.hit(hit, placement.sessionOf().get(hit.eventId())).append("seq", seq.get(hit.eventId())));
        }
        existing.addAll(insertHits(docs));
        return existing;
    }

    /**
     * The session of every fresh hit, decided against the visitor's state and committed by compare-and-set. The
     * visitor document also lists the event ids recently claimed: of two concurrent requests carrying the same
     * events (a sendBeacon and a fetch of one lead), only the one whose compare-and-set lists them first counts
     * them in the session; the other only stores whatever hit is still missing.
     */
    private Placement place(HitBatch batch, List<Hit> fresh, Sessionizer sessionizer) {
        String key = HitDocuments.visitorKey(batch.tenantId(), batch.visitorId());
        for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            Document stored = collections.visitors().find(Filters.eq("_id", key)).first();
            VisitorState state = stored == null ? null : HitDocuments.visitorState(stored);
            long version = stored == null ? 0 : stored.get("version", Number.class).longValue();
            // "event id|session id" of the hits recently claimed, oldest first.
            List<String> claims = stored == null ? new ArrayList<>() : new ArrayList<>(stored.getList("claims", String.class, List.of()));
            Map<String, String> claimedSession = new HashMap<>();
            claims.forEach(c -> claimedSession.put(c.substring(0, c.indexOf('|')), c.substring(c.indexOf('|') + 1)));
            Map<String, SessionChange> sessions = new LinkedHashMap<>();
            Map<String, String> sessionOf = new LinkedHashMap<>();
            List<Hit> placed = new ArrayList<>(fresh.size());
            boolean claimedAny = false;
            for (Hit hit : fresh) {
                String earlier = claimedSession.get(hit.eventId());
                if (earlier != null) {
                    // Claimed by a request that is storing it right now (or died before it could): same session, not counted again.
                    sessionOf.put(hit.eventId(), earlier);
                    boolean opened = earlier.equals(Sessionizer.sessionId(batch.tenantId(), batch.visitorId(), hit.eventId()));
                    sessions.computeIfAbsent(earlier, id -> new SessionChange(id, batch.tenantId())).add(hit, opened, false);
                    placed.add(hit);
                    continue;
                }
                Sessionizer.Assignment a = sessionizer.assign(batch.tenantId(), batch.visitorId(), state, hit.eventId(),
                        hit.occurredAt(), hit.type() == EventType.PAGEVIEW ? hit.source() : null);
                Hit h = a.rateExceeded() ? hit.withReason(JunkReason.IMPOSSIBLE_RATE) : hit;
                state = a.next();
                claims.add(h.eventId() + "|" + a.sessionId());
                claimedAny = true;
                sessionOf.put(h.eventId(), a.sessionId());
                sessions.computeIfAbsent(a.sessionId(), id -> new SessionChange(id, batch.tenantId())).add(h, a.opensSession(), true);
                placed.add(h);
            }
            if (claims.size() > CLAIMS_KEPT) {
                claims = new ArrayList<>(claims.subList(claims.size() - CLAIMS_KEPT, claims.size()));
            }
            if (!claimedAny || commitState(key, batch, state, stored, version, claims)) {
                return new Placement(placed, sessionOf, sessions);
            }
        }
        throw new IllegalStateException("visitor state kept changing under " + CAS_ATTEMPTS + " attempts");
    }

    private boolean commitState(String key, HitBatch batch, VisitorState state, Document stored, long version, List<String> claimed) {
        Document next = HitDocuments.visitor(batch.tenantId(), batch.visitorId(), state, version + 1, claimed);
        if (stored == null) {
            try {
                collections.visitors().insertOne(next);
                return true;
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                    return false;
                }
                throw e;
            }
        }
        return collections.visitors().replaceOne(Filters.and(Filters.eq("_id", key), Filters.eq("version", version)), next)
                .getMatchedCount() == 1;
    }

    private void upsertSession(SessionChange change) {
        List<Bson> updates = new ArrayList<>();
        Document onInsert = new Document("tenant_id", change.tenantId);
        Hit opener = change.opener;
        Hit first = change.hits.get(0);
        onInsert.append("site_id", first.siteId()).append("visitor_id", first.visitorId());
        if (opener != null) {
            HitDocuments.put(onInsert, "landing_page", opener.url());
            HitDocuments.put(onInsert, "referrer", opener.referrer());
            HitDocuments.put(onInsert, "device_class", opener.deviceClass());
            HitDocuments.put(onInsert, "user_agent", opener.userAgent());
            HitDocuments.put(onInsert, "ga_cookie", opener.gaCookie());
            HitDocuments.put(onInsert, "ym_uid", opener.ymUid());
            if (opener.type() == EventType.PAGEVIEW && opener.source() != null && opener.source().kind().namesSource()) {
                Document source = HitDocuments.source(opener.source());
                onInsert.append("campaign", source.get("campaign")).append("channel", opener.source().channel())
                        .append("source_kind", source.get("kind"));
                HitDocuments.put(onInsert, "click_ids", source.get("click_ids"));
                HitDocuments.put(onInsert, "params", source.get("params"));
                HitDocuments.put(onInsert, "referrer_host", opener.source().referrerHost());
            } else {
                onInsert.append("campaign", HitDocuments.campaign(io.throughline.tracking.domain.Campaign.DIRECT))
                        .append("channel", "direct").append("source_kind", "direct");
            }
        }
        onInsert.forEach((k, v) -> updates.add(Updates.setOnInsert(k, v)));
        updates.add(Updates.min("started_at", Date.from(change.firstAt)));
        updates.add(Updates.max("last_hit_at", Date.from(change.lastAt)));
        updates.add(Updates.inc("hits", change.counted.size()));
        updates.add(Updates.inc("pageviews", change.count(EventType.PAGEVIEW)));
        updates.add(Updates.inc("leads", change.leads()));
        // changed_at feeds ListSessionChanges (attribution recomputes the visitor's person): stamped when the touch
        // is new and when it becomes a bot's, not on every later hit of the session.
        if (!change.botReasons.isEmpty()) {
            updates.add(Updates.set("excluded", true));
            updates.add(Updates.addEachToSet("exclusion_reasons", List.copyOf(change.botReasons)));
            updates.add(Updates.set("changed_at", new Date()));
            Document before = collections.sessions().findOneAndUpdate(Filters.eq("_id", change.sessionId), Updates.combine(updates),
                    new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.BEFORE).projection(Projections.include("excluded", "leads")));
            if (before != null && !before.getBoolean("excluded", false) && before.get("leads", Number.class) != null
                    && before.get("leads", Number.class).intValue() > 0) {
                // Leads stored before the session turned out a bot's are junk now: reporting reads them again.
                contacts.sessionTurnedBot(change.tenantId, change.sessionId);
            }
            return;
        }
        updates.add(Updates.setOnInsert("excluded", false));
        updates.add(Updates.setOnInsert("changed_at", new Date()));
        collections.sessions().updateOne(Filters.eq("_id", change.sessionId), Updates.combine(updates), new UpdateOptions().upsert(true));
    }

    /** Inserts hits; returns the event ids another request stored first (a concurrent retry of the same batch). */
    private Set<String> insertHits(List<Document> docs) {
        Set<String> raced = new HashSet<>();
        Inserts.ignoringDuplicates(collections.hits(), docs).forEach(i -> raced.add(docs.get(i).getString("event_id")));
        return raced;
    }

    private record Placement(List<Hit> hits, Map<String, String> sessionOf, Map<String, SessionChange> sessions) {
    }

    /** What one batch changes in one session. */
    private static final class SessionChange {
        final String sessionId;
        final String tenantId;
        final List<Hit> hits = new ArrayList<>();
        /** Hits this request claimed: only these count in the session's counters. */
        final List<Hit> counted = new ArrayList<>();
        final Set<String> botReasons = new java.util.TreeSet<>();
        Hit opener;
        java.time.Instant firstAt;
        java.time.Instant lastAt;

        SessionChange(String sessionId, String tenantId) {
            this.sessionId = sessionId;
            this.tenantId = tenantId;
        }

        void add(Hit hit, boolean opens, boolean claimed) {
            hits.add(hit);
            if (claimed) {
                counted.add(hit);
            }
            if (opens && opener == null) {
                opener = hit;
            }
            firstAt = firstAt == null || hit.occurredAt().isBefore(firstAt) ? hit.occurredAt() : firstAt;
            lastAt = lastAt == null || hit.occurredAt().isAfter(lastAt) ? hit.occurredAt() : lastAt;
            hit.reasons().stream().filter(JunkReason::bot).forEach(r -> botReasons.add(r.code()));
        }

        int count(EventType type) {
            return (int) counted.stream().filter(h -> h.type() == type).count();
        }

        int leads() {
            return (int) counted.stream().filter(h -> h.type() == EventType.LEAD && !h.excluded()).count();
        }
    }
}
