package io.throughline.tracking.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import io.quarkus.runtime.Startup;
import io.throughline.tracking.config.TrackingConfig;
import io.throughline.tracking.domain.Site;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.bson.Document;
import org.bson.conversions.Bson;

/** Sites in the MongoDB-wire store; the public key is unique across all workspaces. */
@Startup
@ApplicationScoped
public class SiteStore {

    private final MongoCollection<Document> sites;

    public SiteStore(MongoClient mongo, TrackingConfig config) {
        this.sites = mongo.getDatabase(config.database()).getCollection("sites");
        sites.createIndex(Indexes.ascending("public_key"), new IndexOptions().unique(true));
        sites.createIndex(Indexes.ascending("tenant_id", "_id"));
    }

    /** Inserts the site; false when its public key is taken (the caller draws another). */
    public boolean insert(Site site) {
        try {
            sites.insertOne(toDocument(site));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    public Optional<Site> find(String tenantId, UUID id) {
        return Optional.ofNullable(sites.find(Filters.and(Filters.eq("tenant_id", tenantId), Filters.eq("_id", id.toString())))
                .first()).map(SiteStore::toSite);
    }

    public void replace(Site site) {
        sites.replaceOne(Filters.and(Filters.eq("tenant_id", site.tenantId()), Filters.eq("_id", site.id().toString())), toDocument(site));
    }

    /** Whether any site lists the host or one of its parent domains (CORS preflights, before the body names a site). */
    public boolean anyOwns(String host) {
        List<String> candidates = new ArrayList<>();
        for (String h = host; h.contains("."); h = h.substring(h.indexOf('.') + 1)) {
            candidates.add(h);
        }
        candidates.add(host.contains(".") ? host.substring(host.lastIndexOf('.') + 1) : host);
        return sites.find(Filters.in("domains", candidates)).limit(1).first() != null;
    }

    public Optional<Site> findByPublicKey(String publicKey) {
        return Optional.ofNullable(sites.find(Filters.eq("public_key", publicKey)).first()).map(SiteStore::toSite);
    }

    /** One page of a workspace's sites in id (creation) order, after the given id. */
    public List<Site> page(String tenantId, String afterId, int limit) {
        Bson filter = Filters.eq("tenant_id", tenantId);
        if (afterId != null) {
            filter = Filters.and(filter, Filters.gt("_id", afterId));
        }
        return sites.find(filter).sort(Sorts.ascending("_id")).limit(limit).map(SiteStore::toSite).into(new ArrayList<>());
    }

    /** Every site's public key by its id (reports name sites either way). */
    public java.util.Map<String, String> publicKeys() {
        java.util.Map<String, String> keys = new java.util.HashMap<>();
        sites.find().projection(com.mongodb.client.model.Projections.include("public_key")).forEach(d -> keys.put(d.getString("_id"),
                d.getString("public_key")));
        return keys;
    }

    public long count(String tenantId) {
        return sites.countDocuments(Filters.eq("tenant_id", tenantId));
    }

    private static Document toDocument(Site site) {
        return new Document("_id", site.id().toString())
                .append("tenant_id", site.tenantId())
                .append("public_key", site.publicKey())
                .append("name", site.name())
                .append("domains", site.domains())
                .append("default_phone_region", site.defaultPhoneRegion())
                .append("consent_required", site.consentRequired())
                .append("created_at", Date.from(site.createdAt()))
                .append("session_timeout_minutes", site.sessionTimeoutMinutes())
                .append("min_form_fill_ms", site.minFormFillMs());
    }

    private static Site toSite(Document d) {
        return new Site(UUID.fromString(d.getString("_id")), d.getString("tenant_id"), d.getString("public_key"),
                d.getString("name"), d.getList("domains", String.class), d.getString("default_phone_region"),
                d.getBoolean("consent_required", false), d.getDate("created_at").toInstant(),
                d.getInteger("session_timeout_minutes", Site.DEFAULT_SESSION_TIMEOUT_MINUTES),
                d.getInteger("min_form_fill_ms", Site.DEFAULT_MIN_FORM_FILL_MS));
    }
}
