package io.throughline.commons.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** RFC 9457 problem details, the one error shape of every Throughline endpoint. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ProblemDetail(String type, String title, int status, String detail, String instance,
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://throughline.io/problems/";

    public static ProblemDetail of(int status, String slug, String title, String detail, List<FieldError> errors) {
        return new ProblemDetail(TYPE_BASE + slug, title, status, detail, null, errors == null ? List.of() : errors);
    }

    public ProblemDetail withInstance(String path) {
        return new ProblemDetail(type, title, status, detail, path, errors);
    }
}
