package io.throughline.gateway.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Merges the services' OpenAPI 3 documents into one for the gateway: paths and tags are unioned (each
 * service owns distinct /api/&lt;service&gt; paths); a schema name two services both define is kept once
 * when equal and prefixed with the service otherwise, with its references rewritten.
 */
public final class OpenApiMerger {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private OpenApiMerger() {
    }

    public static ObjectNode merge(String title, String version, Map<String, JsonNode> documents) {
        ObjectNode out = JSON.objectNode();
        out.put("openapi", "3.1.0");
        out.putObject("info").put("title", title).put("version", version)
                .put("description", "Every Throughline API behind the gateway; each path is owned by one service.");
        ObjectNode paths = out.putObject("paths");
        ObjectNode schemas = JSON.objectNode();
        ObjectNode securitySchemes = JSON.objectNode();
        Map<String, JsonNode> tags = new LinkedHashMap<>();
        Set<String> unavailable = new LinkedHashSet<>();

        for (Map.Entry<String, JsonNode> entry : new java.util.TreeMap<>(documents).entrySet()) {
            String service = entry.getKey();
            JsonNode doc = entry.getValue();
            if (doc == null || !doc.has("paths")) {
                unavailable.add(service);
                continue;
            }
            Map<String, String> renames = new LinkedHashMap<>();
            JsonNode docSchemas = doc.path("components").path("schemas");
            for (Iterator<String> names = docSchemas.fieldNames(); names.hasNext();) {
                String name = names.next();
                JsonNode existing = schemas.get(name);
                if (existing != null && !existing.equals(docSchemas.get(name))) {
                    renames.put(name, service + "_" + name);
                }
            }
            for (Iterator<String> names = docSchemas.fieldNames(); names.hasNext();) {
                String name = names.next();
                schemas.set(renames.getOrDefault(name, name), rewriteRefs(docSchemas.get(name).deepCopy(), renames));
            }
            doc.path("paths").fields().forEachRemaining(p -> paths.set(p.getKey(), rewriteRefs(p.getValue().deepCopy(), renames)));
            doc.path("components").path("securitySchemes").fields().forEachRemaining(s -> securitySchemes.set(s.getKey(), s.getValue()));
            doc.path("tags").forEach(tag -> tags.putIfAbsent(tag.path("name").asText(), tag));
        }
        ObjectNode components = out.putObject("components");
        components.set("schemas", schemas);
        components.set("securitySchemes", securitySchemes);
        tags.values().forEach(out.putArray("tags")::add);
        if (!unavailable.isEmpty()) {
            unavailable.forEach(out.putArray("x-unavailable-services")::add);
        }
        return out;
    }

    private static JsonNode rewriteRefs(JsonNode node, Map<String, String> renames) {
        if (renames.isEmpty()) {
            return node;
        }
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isTextual()) {
                String prefix = "#/components/schemas/";
                String target = ref.asText().startsWith(prefix) ? ref.asText().substring(prefix.length()) : null;
                if (target != null && renames.containsKey(target)) {
                    object.put("$ref", prefix + renames.get(target));
                }
            }
            object.fields().forEachRemaining(f -> rewriteRefs(f.getValue(), renames));
        } else if (node.isArray()) {
            node.forEach(child -> rewriteRefs(child, renames));
        }
        return node;
    }
}
