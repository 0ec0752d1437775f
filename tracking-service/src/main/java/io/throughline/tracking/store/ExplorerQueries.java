package io.throughline.tracking.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Pages of a workspace's hits and sessions, newest first, for the explorers. The cursor is the time and id of
 * the last row shown, so pages stay stable while new hits arrive.
 */
@ApplicationScoped
public class ExplorerQueries {

    private final TrackingCollections collections;

    public ExplorerQueries(TrackingCollections collections) {
        this.collections = collections;
    }

    /** Filters an explorer may apply; null means "any". */
    public record Filter(String siteId, String visitorId, String sessionId, String type, String channel, Boolean excluded,
            Instant from, Instant to) {
    }

    /** Where the previous page ended. */
    public record After(Instant at, String id) {
    }

    public List<Document> hits(String tenantId, Filter filter, After after, int limit) {
        List<Bson> where = common(tenantId, filter, "received_at", after);
        if (filter.sessionId() != null) {
            where.add(Filters.eq("session_id", filter.sessionId()));
        }
        if (filter.type() != null) {
            where.add(Filters.eq("type", filter.type()));
        }
        if (filter.channel() != null) {
            where.add(Filters.eq("source.channel", filter.channel()));
        }
        return page(collections.hits(), where, "received_at", limit);
    }

    public List<Document> sessions(String tenantId, Filter filter, After after, int limit) {
        List<Bson> where = common(tenantId, filter, "started_at", after);
        if (filter.channel() != null) {
            where.add(Filters.eq("channel", filter.channel()));
        }
        return page(collections.sessions(), where, "started_at", limit);
    }

    public Document session(String tenantId, String sessionId) {
        return collections.sessions().find(Filters.and(Filters.eq("tenant_id", tenantId), Filters.eq("_id", sessionId))).first();
    }

    private static List<Bson> common(String tenantId, Filter filter, String timeField, After after) {
        List<Bson> where = new ArrayList<>();
        where.add(Filters.eq("tenant_id", tenantId));
        if (filter.siteId() != null) {
            where.add(Filters.eq("site_id", filter.siteId()));
        }
        if (filter.visitorId() != null) {
            where.add(Filters.eq("visitor_id", filter.visitorId()));
        }
        if (filter.excluded() != null) {
            where.add(filter.excluded() ? Filters.eq("excluded", true) : Filters.ne("excluded", true));
        }
        if (filter.from() != null) {
            where.add(Filters.gte(timeField, Date.from(filter.from())));
        }
        if (filter.to() != null) {
            where.add(Filters.lt(timeField, Date.from(filter.to())));
        }
        if (after != null) {
            Date at = Date.from(after.at());
            where.add(Filters.or(Filters.lt(timeField, at), Filters.and(Filters.eq(timeField, at), Filters.lt("_id", after.id()))));
        }
        return where;
    }

    private static List<Document> page(MongoCollection<Document> collection, List<Bson> where, String timeField, int limit) {
        return collection.find(Filters.and(where)).sort(Sorts.descending(timeField, "_id")).limit(limit).into(new ArrayList<>());
    }
}
