package io.throughline.calltracking.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.throughline.calltracking.config.CallTrackingConfig;
import io.throughline.calltracking.domain.TrackedSite;
import io.throughline.commons.api.FieldError;
import io.throughline.commons.api.ProblemDetail;
import io.throughline.commons.limits.PublicRateLimits;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * POST /dni: the public dynamic-number-insertion endpoint t.js calls on page load and then as a heartbeat while
 * the page is visible. No login: the site key names the site, the page's Origin must be one of its domains, and
 * requests are limited per site and per client address. JSON, sent as application/json or text/plain (which
 * browsers send without a CORS preflight).
 */
@Path("/dni")
@Tag(name = "DNI", description = "Dynamic number insertion (public, site key)")
public class DniResource {

    private final DniService dni;
    private final ObjectMapper json;
    private final PublicRateLimits limits;
    private final CallTrackingConfig.Dni config;

    public DniResource(DniService dni, ObjectMapper json, PublicRateLimits limits, CallTrackingConfig config) {
        this.dni = dni;
        this.json = json;
        this.limits = limits;
        this.config = config.dni();
    }

    /** The endpoint's token buckets, from the configuration. */
    @Singleton
    static class Limits {
        @Produces
        @Singleton
        PublicRateLimits limits(CallTrackingConfig config) {
            CallTrackingConfig.Dni c = config.dni();
            return new PublicRateLimits(c.sitePerSecond(), c.siteBurst(), c.ipPerSecond(), c.ipBurst(), c.trackedClients());
        }
    }

    @POST
    @Operation(summary = "The number this visitor's page shows (also the heartbeat that keeps it)")
    @RequestBody(content = @org.eclipse.microprofile.openapi.annotations.media.Content(mediaType = "application/json",
            schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(implementation = DniRequest.class)))
    @APIResponse(responseCode = "200", description = "The number to show",
            content = @org.eclipse.microprofile.openapi.annotations.media.Content(mediaType = "application/json",
                    schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(implementation = DniAnswer.class)))
    @APIResponse(responseCode = "400", description = "Not JSON, or a field is invalid (named in the problem)")
    @APIResponse(responseCode = "403", description = "Unknown site key, or a page on a domain that is not the site's")
    @APIResponse(responseCode = "413", description = "Body larger than 8 KB")
    @APIResponse(responseCode = "429", description = "Too many requests (Retry-After)")
    public Response assign(byte[] body, @HeaderParam("Origin") String origin, @Context HttpServerRequest http) {
        if (body == null || body.length == 0) {
            return problem(400, "invalid-request", "Invalid request", "The body must be a JSON object", origin, new FieldError("body", "is empty"));
        }
        if (body.length > config.maxBodyBytes()) {
            return problem(413, "too-large", "Request too large", "At most " + config.maxBodyBytes() + " bytes", origin,
                    new FieldError("body", "is larger than " + config.maxBodyBytes() + " bytes"));
        }
        DniRequest request;
        try {
            request = json.readValue(body, DniRequest.class);
        } catch (JsonProcessingException e) {
            return problem(400, "invalid-request", "Invalid request", "The body is not a DNI request", origin,
                    new FieldError("body", "is not a JSON object of the documented shape"));
        } catch (java.io.IOException e) {
            return problem(400, "invalid-request", "Invalid request", "The body could not be read", origin, new FieldError("body", "unreadable"));
        }
        if (request == null) {
            return problem(400, "invalid-request", "Invalid request", "The body must be a JSON object", origin, new FieldError("body", "is null"));
        }
        List<FieldError> errors = request.violations();
        if (!errors.isEmpty()) {
            return problem(400, "invalid-request", "Invalid request", "Some fields are invalid", origin, errors.toArray(FieldError[]::new));
        }
        long wait = limits.waitSeconds(request.site(), http.remoteAddress() == null ? null : http.remoteAddress().hostAddress());
        if (wait > 0) {
            return withCors(ProblemDetail.rateLimited(wait), origin).build();
        }
        Optional<TrackedSite> site = dni.site(request.site());
        if (site.isEmpty()) {
            return problem(403, "unknown-site", "Unknown site", "No site has this key", origin, new FieldError("site", "is not a site key"));
        }
        if (origin != null && !site.get().ownsOrigin(origin)) {
            return problem(403, "origin-not-allowed", "Origin not allowed", "Pages on " + origin + " may not ask numbers of this site; add the "
                    + "domain to the site", origin, new FieldError("Origin", "is not one of the site's domains"));
        }
        return withCors(Response.ok(dni.assign(site.get(), request)).type("application/json").header("Cache-Control", "no-store"), origin).build();
    }

    @OPTIONS
    @Operation(hidden = true)
    public Response preflight(@HeaderParam("Origin") String origin) {
        return withCors(Response.noContent().header("Access-Control-Allow-Methods", "POST, OPTIONS")
                .header("Access-Control-Allow-Headers", "Content-Type").header("Access-Control-Max-Age", "86400"), origin).build();
    }

    private static Response problem(int status, String slug, String title, String detail, String origin, FieldError... errors) {
        return withCors(ProblemDetail.of(status, slug, title, detail, List.of(errors)).response(), origin).build();
    }

    /** Browsers may read the answer on any origin the request came from; ownership is checked before answering. */
    private static Response.ResponseBuilder withCors(Response.ResponseBuilder response, String origin) {
        return origin == null ? response : response.header("Access-Control-Allow-Origin", origin).header("Vary", "Origin");
    }
}
