package io.throughline.tracking.store;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Date;
import java.util.Optional;
import org.bson.Document;

/**
 * A workspace's own versions of the channel rules and the parameter registry, kept as the JSON text the admins
 * saved (keys such as parameter names may hold characters MongoDB field names may not), one MongoDB document per
 * workspace, one field per setting. Absent means the shipped default.
 */
@ApplicationScoped
public class TenantSettingsStore {

    public static final String CHANNEL_RULES = "channel_rules";
    public static final String PARAMETERS = "parameters";

    private final TrackingCollections collections;

    public TenantSettingsStore(TrackingCollections collections) {
        this.collections = collections;
    }

    /** The saved JSON of one setting, or empty when the workspace uses the default. */
    public Optional<String> find(String tenantId, String setting) {
        Document d = collections.settings().find(Filters.eq("_id", tenantId)).first();
        return d == null ? Optional.empty() : Optional.ofNullable(d.getString(setting));
    }

    public void save(String tenantId, String setting, String json) {
        Document current = collections.settings().find(Filters.eq("_id", tenantId)).first();
        Document next = current == null ? new Document("_id", tenantId) : current;
        next.put(setting, json);
        next.put("updated_at", new Date());
        collections.settings().replaceOne(Filters.eq("_id", tenantId), next, new ReplaceOptions().upsert(true));
    }

    public void reset(String tenantId, String setting) {
        collections.settings().updateOne(Filters.eq("_id", tenantId), Updates.unset(setting));
    }
}
