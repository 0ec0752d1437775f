package io.throughline.commons.api;

/** One invalid field of a request: {@code {"field": "paths[2].conversions", "message": "must be >= 0"}}. */
public record FieldError(String field, String message) {
}
