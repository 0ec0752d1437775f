package io.throughline.tracking.domain;

/** A rule a submitted value breaks, with the JSON path of the value (snake_case, as the client sent it). */
public record Violation(String field, String message) {
}
