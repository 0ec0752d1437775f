package io.throughline.commons.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps every failure of a REST call to an RFC 9457 body, so no client ever sees an HTML page or a stack trace. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Response response = respond(e.problem(), uri);
        return e.problem().status() == 503 ? Response.fromResponse(response).header("Retry-After", "10").build() : response;
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new FieldError(FieldPaths.fromPropertyPath(v.getPropertyPath().toString()), v.getMessage()))
                .sorted(java.util.Comparator.comparing(FieldError::field))
                .toList();
        String detail = errors.stream().map(f -> f.field() + " " + f.message()).collect(Collectors.joining("; "));
        return respond(ProblemDetail.of(400, "invalid-request", "Invalid request", detail, errors), uri);
    }

    @ServerExceptionMapper({JsonProcessingException.class, com.fasterxml.jackson.core.JsonParseException.class,
            JsonMappingException.class, com.fasterxml.jackson.databind.exc.MismatchedInputException.class,
            com.fasterxml.jackson.databind.exc.InvalidFormatException.class})
    public Response malformedJson(JsonProcessingException e, UriInfo uri) {
        String field = e instanceof JsonMappingException m ? FieldPaths.fromJackson(m.getPath()) : "";
        String detail = field.isEmpty() ? "The body is not valid JSON" : "Value of " + field + " has the wrong type or format";
        List<FieldError> errors = field.isEmpty() ? List.of() : List.of(new FieldError(field, "has the wrong type or format"));
        return respond(ProblemDetail.of(400, "malformed-body", "Malformed request body", detail, errors), uri);
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(UriInfo uri) {
        return Response.fromResponse(respond(ProblemDetail.of(401, "unauthorized", "Unauthorized",
                "A valid bearer token is required", null), uri)).header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(ProblemDetail.of(403, "forbidden", "Forbidden", "Your role does not allow this operation", null), uri);
    }

    @ServerExceptionMapper
    public Response identityProviderDown(io.quarkus.oidc.OIDCException e, UriInfo uri) {
        LOG.warnf("Token verification unavailable for %s: %s", uri.getPath(), e.getMessage());
        return Response.fromResponse(respond(ProblemDetail.of(503, "dependency-unavailable", "Dependency unavailable",
                "The identity provider cannot be reached to verify the token", null), uri)).header("Retry-After", "10").build();
    }

    @ServerExceptionMapper({io.grpc.StatusRuntimeException.class,
            org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException.class})
    public Response serviceDown(RuntimeException e, UriInfo uri) {
        LOG.warnf("A downstream service failed while serving %s: %s", uri.getPath(), e.toString());
        return Response.fromResponse(respond(ProblemDetail.of(503, "dependency-unavailable", "Dependency unavailable",
                "A Throughline service this request needs is unavailable; retry later", null), uri))
                .header("Retry-After", "10").build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf(e, "Request to %s failed", uri.getPath());
        }
        String title = Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        String detail = status >= 500 ? "Internal error" : e.getMessage();
        return respond(ProblemDetail.of(status, "http-" + status, title, detail, null), uri);
    }

    /**
     * The database is down or restarting (connection refused or broken, admin or crash shutdown, the pool timing out on
     * it): the request was not applied, and the client should send it again (a 503 with Retry-After, not a 500).
     */
    @ServerExceptionMapper
    public Response store(io.throughline.commons.sql.Sql.StoreException e, UriInfo uri) {
        String state = e.getCause() instanceof java.sql.SQLException sql && sql.getSQLState() != null ? sql.getSQLState() : "";
        if (state.equals("22021") || state.equals("22P05")) {
            // text PostgreSQL cannot hold (a NUL character, bytes that are not UTF-8) in a body's value
            return respond(ProblemDetail.of(400, "invalid-request", "Invalid request", "A text value contains a NUL character or invalid bytes", null),
                    uri);
        }
        if (!io.throughline.commons.sql.Sql.isOutage(e)) {
            return unexpected(e, uri);
        }
        LOG.warnf("The database is unavailable serving %s: %s", uri.getPath(), e.getMessage());
        return Response.fromResponse(respond(ProblemDetail.of(503, "dependency-unavailable", "Dependency unavailable",
                "The database is unavailable; nothing was stored, retry later", null), uri)).header("Retry-After", "2").build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        LOG.errorf(e, "Unexpected failure serving %s", uri.getPath());
        return respond(ProblemDetail.of(500, "internal-error", "Internal error",
                "The request failed on our side; it has been logged", null), uri);
    }

    private static Response respond(ProblemDetail problem, UriInfo uri) {
        return problem.withInstance(uri.getPath()).response().build();
    }
}
