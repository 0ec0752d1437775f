package io.throughline.commons.api;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns Java property paths into the snake_case JSON paths clients sent, e.g. {@code paths[2].conversions}. */
public final class FieldPaths {

    private static final PropertyNamingStrategies.SnakeCaseStrategy SNAKE = new PropertyNamingStrategies.SnakeCaseStrategy();
    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(\\[\\d+])?");

    private FieldPaths() {
    }

    /** Bean Validation path such as {@code create.request.hold_seconds} or {@code upsert.rows[3].amount}. */
    public static String fromPropertyPath(String path) {
        String[] parts = path.split("\\.");
        // The first two segments of a method-parameter violation are the method and the parameter name.
        int start = parts.length > 2 ? 2 : parts.length - 1;
        StringBuilder out = new StringBuilder();
        for (int i = Math.max(start, 0); i < parts.length; i++) {
            Matcher m = SEGMENT.matcher(parts[i]);
            if (!out.isEmpty()) {
                out.append('.');
            }
            if (m.matches()) {
                out.append(SNAKE.translate(m.group(1)));
                if (m.group(2) != null) {
                    out.append(m.group(2));
                }
            } else {
                out.append(parts[i]);
            }
        }
        return out.toString();
    }

    public static String fromJackson(List<JsonMappingException.Reference> path) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }
}
