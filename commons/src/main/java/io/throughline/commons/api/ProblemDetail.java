package io.throughline.commons.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;
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

    /** This problem as a response (application/problem+json), to add headers to and build. */
    public Response.ResponseBuilder response() {
        return Response.status(status).type(MEDIA_TYPE).entity(this);
    }

    /** 429 with Retry-After, for the rate limits of public endpoints. */
    public static Response.ResponseBuilder rateLimited(long retryAfterSeconds) {
        return of(429, "rate-limited", "Too many requests", "Retry after " + retryAfterSeconds + " s", List.of()).response()
                .header("Retry-After", retryAfterSeconds);
    }

    public ProblemDetail withInstance(String path) {
        return new ProblemDetail(type, title, status, detail, path, errors);
    }
}
