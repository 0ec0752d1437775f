package io.throughline.tracking.store;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.quarkus.runtime.Startup;
import io.throughline.tracking.config.TrackingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.jboss.logging.Logger;

/**
 * The tracking collections and their indexes. Hits are keyed by {@code tenant:event_id} (the _id index is the
 * unique index that makes /collect idempotent); visitors by {@code tenant:visitor_id}. The secondary indexes
 * serve a real MongoDB; the single-machine MongoDB-wire store ignores them and scans.
 */
@Startup
@ApplicationScoped
public class TrackingCollections {

    private static final Logger LOG = Logger.getLogger(TrackingCollections.class);

    private final MongoDatabase database;

    public TrackingCollections(MongoClient mongo, TrackingConfig config) {
        this.database = mongo.getDatabase(config.database());
        try {
            hits().createIndex(Indexes.ascending("tenant_id", "visitor_id", "occurred_at"));
            hits().createIndex(Indexes.descending("tenant_id", "received_at"));
            hits().createIndex(Indexes.ascending("tenant_id", "session_id"));
            sessions().createIndex(Indexes.ascending("tenant_id", "visitor_id", "started_at"));
            sessions().createIndex(Indexes.descending("tenant_id", "started_at"));
            outbox().createIndex(Indexes.ascending("next_attempt_at"), new IndexOptions());
            contacts().createIndex(Indexes.ascending("changed_at", "_id"));
            contacts().createIndex(Indexes.ascending("tenant_id", "session_id"));
            sessions().createIndex(Indexes.ascending("changed_at", "_id"));
            sessions().createIndex(Indexes.ascending("started_at"));
        } catch (RuntimeException e) {
            // The collector must start with its store down (it spools); indexes are created again at the next start.
            LOG.warnf("Could not create tracking indexes now: %s", e.getMessage());
        }
    }

    public MongoCollection<Document> hits() {
        return database.getCollection("hits");
    }

    public MongoCollection<Document> sessions() {
        return database.getCollection("sessions");
    }

    public MongoCollection<Document> visitors() {
        return database.getCollection("visitors");
    }

    /** Identity links waiting to be delivered to identity-service. */
    public MongoCollection<Document> outbox() {
        return database.getCollection("identity_outbox");
    }

    /** Form leads as reporting-service reads them: junk or not, and the person identity-service linked them to. */
    public MongoCollection<Document> contacts() {
        return database.getCollection("contacts");
    }

    /** Per-workspace channel rules and parameter registries. */
    public MongoCollection<Document> settings() {
        return database.getCollection("tenant_settings");
    }

    /** A cheap round trip: is the store answering? */
    public void ping() {
        database.runCommand(new Document("ping", 1));
    }
}
