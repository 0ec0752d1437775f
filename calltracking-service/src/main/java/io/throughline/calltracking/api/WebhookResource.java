package io.throughline.calltracking.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.throughline.calltracking.config.CallTrackingConfig;
import io.throughline.calltracking.store.Integrations;
import io.throughline.commons.api.FieldError;
import io.throughline.commons.api.ProblemDetail;
import io.throughline.commons.id.Ids;
import io.throughline.commons.limits.PublicRateLimits;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Telephony webhooks: {@code POST /webhooks/calls/{format}/{integration_id}} with format generic (JSON, HMAC-SHA256
 * over "timestamp.body"), twilio (form-encoded status callbacks, X-Twilio-Signature) or zadarma (form-encoded
 * NOTIFY_* events, Signature). No login: the integration's secret is the credential. A refused payload gets a
 * problem naming the field and is never stored.
 */
@Path("/webhooks/calls")
@Tag(name = "Telephony webhooks", description = "Call events from PBXs and telephony providers (public, signed)")
public class WebhookResource {

    private static final int MAX_BODY = 64 * 1024;

    private final WebhookService webhooks;
    private final CallTrackingConfig config;
    /** Per integration (its PBX's bursts) and per client address; generous: PBXs retry refused events. */
    private final PublicRateLimits limits;

    private final MeterRegistry metrics;

    public WebhookResource(WebhookService webhooks, CallTrackingConfig config, MeterRegistry metrics) {
        this.webhooks = webhooks;
        this.config = config;
        this.metrics = metrics;
        CallTrackingConfig.Webhooks w = config.webhooks();
        this.limits = new PublicRateLimits(w.perSecond(), w.burst(), w.perSecond(), w.burst(), 100_000);
    }

    private void count(String format, String outcome) {
        metrics.counter("throughline_call_webhooks_total", "format", format, "outcome", outcome).increment();
    }

    @POST
    @Path("/generic/{integration}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "A call event in the generic JSON format (documented in calltracking-service/README.md)")
    @APIResponse(responseCode = "200", description = "Stored (or merged into the call it belongs to)")
    @APIResponse(responseCode = "400", description = "Malformed: the problem names the field")
    @APIResponse(responseCode = "401", description = "Missing or wrong signature, or a timestamp outside the replay window")
    @APIResponse(responseCode = "404", description = "No such integration")
    public Response generic(@PathParam("integration") String id, @HeaderParam("X-Timestamp") String timestamp,
            @HeaderParam("X-Signature") String signature, byte[] body, @Context HttpServerRequest http) {
        return handle("generic", id, body, http, i -> webhooks.generic(i, timestamp, signature, body));
    }

    @POST
    @Path("/twilio/{integration}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "A Twilio voice status callback (form-encoded, X-Twilio-Signature)")
    public Response twilio(@PathParam("integration") String id, @HeaderParam("X-Twilio-Signature") String signature,
            MultivaluedMap<String, String> form, @Context HttpServerRequest http) {
        String url = config.publicBaseUrl().map(b -> b.replaceAll("/$", "") + http.uri()).orElse(http.absoluteURI());
        return handle("twilio", id, null, http, i -> webhooks.twilio(i, url, flat(form), signature));
    }

    @POST
    @Path("/zadarma/{integration}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "A Zadarma PBX notification (NOTIFY_START, NOTIFY_ANSWER, NOTIFY_END, NOTIFY_OUT_START, NOTIFY_OUT_END)")
    public Response zadarma(@PathParam("integration") String id, @HeaderParam("Signature") String signature,
            MultivaluedMap<String, String> form, @Context HttpServerRequest http) {
        return handle("zadarma", id, null, http, i -> webhooks.zadarma(i, flat(form), signature));
    }

    @GET
    @Path("/zadarma/{integration}")
    @Operation(summary = "Zadarma's check of the notification URL: answers zd_echo")
    public Response zadarmaEcho(@PathParam("integration") String id, @QueryParam("zd_echo") String echo) {
        if (echo == null || echo.length() > 200 || lookup("zadarma", id).isEmpty()) {
            return problem(404, "not-found", "Not found", "No such integration", new FieldError("integration", "is not a zadarma integration"));
        }
        return Response.ok(echo, MediaType.TEXT_PLAIN).build();
    }

    private Response handle(String format, String id, byte[] body, HttpServerRequest http,
            java.util.function.Function<Integrations.Integration, WebhookService.Outcome> read) {
        if (body != null && body.length > MAX_BODY) {
            return problem(413, "too-large", "Request too large", "At most 64 KB", new FieldError("body", "is larger than 64 KB"));
        }
        long wait = limits.waitSeconds(id, http.remoteAddress() == null ? null : http.remoteAddress().hostAddress());
        if (wait > 0) {
            return ProblemDetail.rateLimited(wait).build();
        }
        Optional<Integrations.Integration> integration = lookup(format, id);
        if (integration.isEmpty()) {
            return problem(404, "not-found", "Not found", "No such integration", new FieldError("integration", "is not a " + format + " integration"));
        }
        WebhookService.Outcome outcome = read.apply(integration.get());
        count(format, outcome.problem() != null ? "refused_" + outcome.problem().status() : outcome.callId() == null ? "ignored" : "stored");
        if (outcome.problem() != null) {
            int status = outcome.problem().status();
            return problem(status, status == 401 ? "unauthorized" : "invalid-request", status == 401 ? "Not signed by this integration" : "Invalid event",
                    outcome.problem().message(), new FieldError(outcome.problem().field(), outcome.problem().message()));
        }
        if ("twilio".equals(format)) {
            return Response.ok("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>", "application/xml").build();
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("status", outcome.callId() == null ? "ignored" : outcome.created() ? "created" : "updated");
        if (outcome.callId() != null) {
            reply.put("call_id", outcome.callId().toString());
        }
        return Response.ok(reply, MediaType.APPLICATION_JSON).build();
    }

    private Optional<Integrations.Integration> lookup(String format, String id) {
        Optional<UUID> uuid = Ids.parse(id);
        return uuid.isEmpty() ? Optional.empty() : webhooks.integration(format, uuid.get());
    }

    private static Map<String, String> flat(MultivaluedMap<String, String> form) {
        Map<String, String> out = new LinkedHashMap<>();
        if (form != null) {
            form.forEach((k, v) -> out.put(k, v == null || v.isEmpty() ? "" : v.get(0)));
        }
        return out;
    }

    private static Response problem(int status, String slug, String title, String detail, FieldError error) {
        return ProblemDetail.of(status, slug, title, detail, List.of(error)).response().build();
    }
}
