package io.throughline.tracking.store;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import io.throughline.tracking.config.TrackingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Sessions (web touchpoints). Queried in batches of visitor ids: the single-machine store scans,
 * so one query per person in a loop is never an option.
 */
@ApplicationScoped
public class SessionStore {

    private final MongoCollection<Document> sessions;
    /** How far behind now a change reader stays: writes stamped earlier are done by then. */
    private final java.time.Duration lag;

    public SessionStore(MongoClient mongo, TrackingConfig config) {
        this.sessions = mongo.getDatabase(config.database()).getCollection("sessions");
        this.lag = config.feedLag();
    }

    /** Up to {@code limit} sessions that are new or turned junk after the cursor, oldest change first (keys only). */
    public List<Document> changes(ChangeCursor after, int limit) {
        return sessions.find(after.after(Date.from(Instant.now().minus(lag))))
                .projection(com.mongodb.client.model.Projections.include("tenant_id", "visitor_id", "started_at", "changed_at"))
                .sort(Sorts.ascending("changed_at", "_id")).limit(limit).into(new ArrayList<>());
    }

    /**
     * The sessions of the given visitors that started within [from, to) (either may be null), bots left out unless asked
     * for, handed over one by one as the store returns them (nothing held), ordered by start then id, and only those after
     * {@code after} (a page token's position; {@link ChangeCursor#START} for all).
     */
    public void forEachByVisitors(String tenantId, Collection<String> visitorIds, Instant from, Instant to, boolean includeExcluded,
            ChangeCursor after, java.util.function.Consumer<Document> each) {
        List<Bson> filters = new ArrayList<>(List.of(Filters.eq("tenant_id", tenantId), Filters.in("visitor_id", visitorIds)));
        if (!after.equals(ChangeCursor.START)) {
            filters.add(after.past("started_at"));
        }
        if (from != null) {
            filters.add(Filters.gte("started_at", Date.from(from)));
        }
        if (to != null) {
            filters.add(Filters.lt("started_at", Date.from(to)));
        }
        if (!includeExcluded) {
            filters.add(Filters.ne("excluded", true));
        }
        sessions.find(Filters.and(filters)).sort(Sorts.ascending("started_at", "_id")).batchSize(1000).forEach(each);
    }

    public Optional<Document> find(String tenantId, String sessionId) {
        return Optional.ofNullable(sessions.find(Filters.and(Filters.eq("tenant_id", tenantId), Filters.eq("_id", sessionId))).first());
    }
}
