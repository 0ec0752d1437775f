package io.throughline.tracking.store;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Sessions counted per day (in each workspace's zone), site, channel and campaign keys, and how many of them bot
 * scoring flagged: the traffic columns of reporting-service. One pass over the sessions that started in the range
 * (the single-machine store scans; a real MongoDB uses the started_at index).
 */
@ApplicationScoped
public class TrafficQueries {

    /** One day's sessions of one site and campaign. */
    public record Row(String tenantId, LocalDate day, String siteId, String channel, String source, String medium, String campaign, String term,
            long sessions, long botSessions) {
    }

    private final TrackingCollections collections;

    public TrafficQueries(TrackingCollections collections) {
        this.collections = collections;
    }

    public List<Row> traffic(String tenantId, Instant from, Instant to, Map<String, ZoneId> zones, ZoneId defaultZone) {
        List<Bson> filters = new ArrayList<>();
        if (tenantId != null && !tenantId.isBlank()) {
            filters.add(Filters.eq("tenant_id", tenantId));
        }
        if (from != null) {
            filters.add(Filters.gte("started_at", Date.from(from)));
        }
        if (to != null) {
            filters.add(Filters.lt("started_at", Date.from(to)));
        }
        Map<List<String>, long[]> counts = new LinkedHashMap<>();
        collections.sessions().find(filters.isEmpty() ? new Document() : Filters.and(filters))
                .projection(Projections.include("tenant_id", "site_id", "started_at", "channel", "campaign", "excluded")).forEach(s -> {
                    Date started = s.getDate("started_at");
                    String tenant = s.getString("tenant_id");
                    if (started == null || tenant == null) {
                        return;
                    }
                    LocalDate day = started.toInstant().atZone(zones.getOrDefault(tenant, defaultZone)).toLocalDate();
                    Document c = s.get("campaign", Document.class);
                    List<String> key = List.of(tenant, day.toString(), text(s, "site_id"), text(s, "channel"), c == null ? "" : text(c, "source"),
                            c == null ? "" : text(c, "medium"), c == null ? "" : text(c, "campaign"), c == null ? "" : text(c, "term"));
                    long[] n = counts.computeIfAbsent(key, k -> new long[2]);
                    // Human sessions and bot sessions apart: reporting's sessions are people's (data quality adds the two).
                    n[s.getBoolean("excluded", false) ? 1 : 0]++;
                });
        List<Row> rows = new ArrayList<>(counts.size());
        counts.forEach((k, n) -> rows.add(new Row(k.get(0), LocalDate.parse(k.get(1)), k.get(2), k.get(3), k.get(4), k.get(5), k.get(6), k.get(7),
                n[0], n[1])));
        return rows;
    }

    private static String text(Document d, String key) {
        Object v = d.get(key);
        return v == null ? "" : v.toString();
    }
}
