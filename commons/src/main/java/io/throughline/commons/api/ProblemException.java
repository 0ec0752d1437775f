package io.throughline.commons.api;

import java.util.List;

/** Thrown by services to answer with a problem-details body; the mapper turns it into the response. */
public class ProblemException extends RuntimeException {

    private final transient ProblemDetail problem;

    public ProblemException(ProblemDetail problem) {
        super(problem.title() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
    }

    public ProblemDetail problem() {
        return problem;
    }

    public static ProblemException badRequest(String detail, FieldError... errors) {
        return new ProblemException(ProblemDetail.of(400, "invalid-request", "Invalid request", detail, List.of(errors)));
    }

    public static ProblemException invalidField(String field, String message) {
        return badRequest(field + " " + message, new FieldError(field, message));
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(ProblemDetail.of(404, "not-found", "Not found", what + " was not found", null));
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(ProblemDetail.of(409, "conflict", "Conflict", detail, null));
    }

    public static ProblemException unprocessable(String field, String message) {
        return new ProblemException(ProblemDetail.of(422, "unprocessable", "Request cannot be processed",
                field + " " + message, List.of(new FieldError(field, message))));
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(ProblemDetail.of(403, "forbidden", "Forbidden", detail, null));
    }

    public static ProblemException unavailable(String detail) {
        return new ProblemException(ProblemDetail.of(503, "dependency-unavailable", "Dependency unavailable", detail, null));
    }
}
