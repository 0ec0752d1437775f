package io.throughline.attribution.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.throughline.attribution.domain.audiences.AudienceRule;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** An audience definition as stored (jsonb): the rule's own fields, money in minor units. */
@ApplicationScoped
public class AudienceCodec {

    private final ObjectMapper json = new ObjectMapper();

    public String write(AudienceRule rule) {
        ObjectNode n = json.createObjectNode();
        switch (rule) {
            case AudienceRule.PaidCustomers p -> {
                if (p.withinDays() != null) {
                    n.put("within_days", p.withinDays());
                }
                if (p.minRevenueMinor() != null) {
                    n.put("min_revenue_minor", p.minRevenueMinor());
                    n.put("min_revenue_currency", p.minRevenueCurrency());
                }
            }
            case AudienceRule.OpenDeals o -> o.stages().forEach(n.putArray("stages")::add);
            case AudienceRule.Uploaded u -> {
                if (u.purpose() != null) {
                    n.put("purpose", u.purpose());
                }
            }
            case AudienceRule.Combined c -> {
                c.include().forEach(id -> n.withArray("include").add(id.toString()));
                c.exclude().forEach(id -> n.withArray("exclude").add(id.toString()));
                n.withArray("include");
                n.withArray("exclude");
            }
        }
        try {
            return json.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public AudienceRule read(String kind, String definition) {
        JsonNode n;
        try {
            n = json.readTree(definition);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable audience definition", e);
        }
        return switch (kind) {
            case "paid_customers" -> new AudienceRule.PaidCustomers(n.hasNonNull("within_days") ? n.get("within_days").asInt() : null,
                    n.hasNonNull("min_revenue_minor") ? n.get("min_revenue_minor").asLong() : null,
                    n.hasNonNull("min_revenue_currency") ? n.get("min_revenue_currency").asText() : null);
            case "open_deals" -> {
                Set<String> stages = new LinkedHashSet<>();
                n.path("stages").forEach(s -> stages.add(s.asText()));
                yield new AudienceRule.OpenDeals(stages);
            }
            case "uploaded" -> new AudienceRule.Uploaded(n.hasNonNull("purpose") ? n.get("purpose").asText() : null);
            case "combined" -> new AudienceRule.Combined(ids(n.path("include")), ids(n.path("exclude")));
            default -> throw new IllegalStateException("unknown audience kind " + kind);
        };
    }

    private static List<UUID> ids(JsonNode array) {
        List<UUID> out = new ArrayList<>();
        array.forEach(s -> out.add(UUID.fromString(s.asText())));
        return out;
    }
}
