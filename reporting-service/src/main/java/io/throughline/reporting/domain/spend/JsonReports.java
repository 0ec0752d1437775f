package io.throughline.reporting.domain.spend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reading the JSON of ad platforms' reports: a tree, bounded nesting; a missing member is "". */
final class JsonReports {

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build());

    private JsonReports() {
    }

    static JsonNode read(String text, String what) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not " + what + " JSON: " + e.getOriginalMessage());
        }
    }

    /** The text of the first member path that exists ({@code "metrics.costMicros"}), else "". */
    static String text(JsonNode node, String... paths) {
        for (String path : paths) {
            JsonNode n = node;
            for (String part : path.split("\\.")) {
                n = n == null ? null : n.get(part);
            }
            if (n != null && !n.isNull() && !n.isContainerNode()) {
                return n.asText();
            }
        }
        return "";
    }
}
