package io.throughline.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenApiMergerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode doc(String path, String schema, String description) throws Exception {
        return JSON.readTree("""
                {"openapi": "3.1.0", "paths": {"%s": {"get": {"responses": {"200": {"content": {"application/json":
                  {"schema": {"$ref": "#/components/schemas/%s"}}}}}}}},
                 "components": {"schemas": {"%s": {"type": "object", "description": "%s"}},
                                "securitySchemes": {"SecurityScheme": {"type": "http", "scheme": "bearer"}}},
                 "tags": [{"name": "T"}]}""".formatted(path, schema, schema, description));
    }

    @Test
    void unionsPathsAndKeepsEqualSchemasOnce() throws Exception {
        JsonNode merged = OpenApiMerger.merge("t", "v1", Map.of(
                "a", doc("/api/a/x", "Page", "same"), "b", doc("/api/b/y", "Page", "same")));
        assertTrue(merged.path("paths").has("/api/a/x"));
        assertTrue(merged.path("paths").has("/api/b/y"));
        assertEquals(1, merged.path("components").path("schemas").size());
        assertEquals(1, merged.path("tags").size());
    }

    @Test
    void prefixesConflictingSchemasAndRewritesTheirReferences() throws Exception {
        JsonNode merged = OpenApiMerger.merge("t", "v1", Map.of(
                "a", doc("/api/a/x", "View", "of a"), "b", doc("/api/b/y", "View", "of b")));
        assertEquals("of b", merged.at("/components/schemas/b_View/description").asText());
        assertEquals("#/components/schemas/b_View",
                merged.at("/paths/~1api~1b~1y/get/responses/200/content/application~1json/schema/$ref").asText());
        assertEquals("#/components/schemas/View",
                merged.at("/paths/~1api~1a~1x/get/responses/200/content/application~1json/schema/$ref").asText());
    }

    @Test
    void namesServicesWhoseDocumentIsMissing() throws Exception {
        Map<String, JsonNode> docs = new HashMap<>();
        docs.put("a", doc("/api/a/x", "View", "of a"));
        docs.put("down", null);
        JsonNode merged = OpenApiMerger.merge("t", "v1", docs);
        assertEquals("down", merged.path("x-unavailable-services").get(0).asText());
    }
}
