package io.throughline.attribution.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.throughline.attribution.domain.crm.AmoCrmWebhook;
import io.throughline.attribution.domain.crm.CrmProblem;
import io.throughline.attribution.domain.crm.FormTree;
import io.throughline.attribution.domain.deals.DealSnapshot;
import io.throughline.attribution.processing.Bitrix24Fetcher;
import io.throughline.attribution.processing.DealIdentityRelay;
import io.throughline.attribution.store.CrmIntegrations;
import io.throughline.attribution.store.Deals;
import io.throughline.commons.api.FieldError;
import io.throughline.commons.api.ProblemDetail;
import io.throughline.commons.api.ProblemException;
import io.throughline.commons.id.Ids;
import io.throughline.commons.limits.PublicRateLimits;
import io.throughline.commons.webhook.WebhookSignature;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * CRM webhooks, {@code POST /webhooks/crm/{format}/{integration_id}}: generic (one deal as JSON, HMAC-SHA256 over
 * "timestamp.body"), amocrm (amoCRM's form-encoded lead and contact events; the integration's token in the address,
 * amoCRM signs nothing) and bitrix24 (Bitrix24's outgoing webhook; its application token, then the deal is read
 * from the portal's REST API in the background). No login: the integration's secret is the credential. A refused
 * payload gets a problem naming the field and nothing of it is stored.
 */
@Path("/webhooks/crm")
@Tag(name = "CRM webhooks", description = "Deals from CRMs (public, signed)")
@Produces(MediaType.APPLICATION_JSON)
public class CrmWebhookResource {

    private static final int MAX_BODY = 256 * 1024;

    private final CrmIntegrations integrations;
    private final Deals deals;
    private final DealIdentityRelay relay;
    private final Bitrix24Fetcher bitrix;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    /** Per integration and per client address; CRMs send bursts when many deals move at once. */
    private final PublicRateLimits limits = new PublicRateLimits(50, 500, 50, 500, 100_000);

    public CrmWebhookResource(CrmIntegrations integrations, Deals deals, DealIdentityRelay relay, Bitrix24Fetcher bitrix, ObjectMapper json,
            MeterRegistry metrics) {
        this.integrations = integrations;
        this.deals = deals;
        this.relay = relay;
        this.bitrix = bitrix;
        this.json = json;
        this.metrics = metrics;
    }

    @POST
    @Path("/generic/{integration}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "One deal as JSON: the fields of PUT /api/attribution/deals plus external_id, signed (X-Timestamp, X-Signature)")
    @APIResponse(responseCode = "200", description = "Stored (applied=false when a newer state of the deal was already stored)")
    @APIResponse(responseCode = "400", description = "Malformed: the problem names the field")
    @APIResponse(responseCode = "401", description = "Missing or wrong signature, or a timestamp outside the 5-minute window")
    @APIResponse(responseCode = "404", description = "No such integration")
    public Response generic(@PathParam("integration") String id, @HeaderParam("X-Timestamp") String timestamp,
            @HeaderParam("X-Signature") String signature, byte[] body, @Context HttpServerRequest http) {
        return handle("generic", id, body == null ? 0 : body.length, http, i -> {
            String text = new String(body, StandardCharsets.UTF_8);
            Optional<FieldError> refused = WebhookSignature.check(timestamp, signature, text, i.secret(), Instant.now());
            if (refused.isPresent()) {
                return problem(401, "unauthorized", "Not signed by this integration", refused.get());
            }
            JsonNode root;
            try {
                root = json.readTree(body);
            } catch (IOException e) {
                throw ProblemException.invalidField("body", "is not valid JSON");
            }
            if (root == null || !root.isObject()) {
                throw ProblemException.invalidField("body", "must be a JSON object: a deal with its external_id");
            }
            String externalId = root.path("external_id").asText("");
            if (!externalId.matches("[A-Za-z0-9._:-]{1,100}")) {
                throw ProblemException.invalidField("external_id", "is required: the CRM's deal id (1-100 letters, digits, '.', '_', ':' or '-')");
            }
            ((ObjectNode) root).remove("external_id");
            DealRequest request;
            try {
                request = json.treeToValue(root, DealRequest.class);
            } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
                String reason = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
                throw ProblemException.invalidField("body", "does not have the shape of a deal: " + reason);
            }
            Deals.Upsert stored = deals.upsert(i.tenantId(), request.snapshot(i.crm(), externalId));
            relay.trigger();
            return Response.ok(Map.of("status", "stored", "deal_id", stored.id().toString(), "applied", stored.applied())).build();
        });
    }

    @POST
    @Path("/amocrm/{integration}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "amoCRM lead and contact events (add, update, status, restore), form-encoded; ?token= the integration's token")
    public Response amocrm(@PathParam("integration") String id, @QueryParam("token") String token, MultivaluedMap<String, String> form,
            @Context HttpServerRequest http) {
        return handle("amocrm", id, size(form), http, i -> {
            if (!WebhookSignature.same(i.secret(), token)) {
                return problem(401, "unauthorized", "Not this integration's token", new FieldError("token", "does not match this integration's token"));
            }
            AmoCrmWebhook.Parsed parsed = AmoCrmWebhook.read(flat(form), i.settings());
            if (i.account() != null && !i.account().equalsIgnoreCase(String.valueOf(parsed.subdomain()))) {
                return problem(401, "unauthorized", "Another amoCRM account", new FieldError("account[subdomain]", "is not this integration's account"));
            }
            for (AmoCrmWebhook.ContactOfLead c : parsed.contacts()) {
                if (integrations.putContact(i.tenantId(), i.crm(), c.leadId(), c.contact(), c.updatedAt())) {
                    deals.updateContact(i.tenantId(), i.crm(), c.leadId(), withVisitor(c.contact(), deals.visitorOf(i.tenantId(), i.crm(), c.leadId())));
                }
            }
            for (DealSnapshot lead : parsed.leads()) {
                DealSnapshot.Contact contact = integrations.contact(i.tenantId(), i.crm(), lead.externalId())
                        .map(c -> withVisitor(c, lead.contact().visitorId())).orElse(lead.contact());
                deals.upsert(i.tenantId(), withContact(lead, contact));
            }
            relay.trigger();
            return Response.ok(Map.of("status", "stored", "deals", parsed.leads().size(), "contacts", parsed.contacts().size())).build();
        });
    }

    @POST
    @Path("/bitrix24/{integration}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Bitrix24 outgoing webhook events ONCRMDEALADD / ONCRMDEALUPDATE (the deal is then read with crm.deal.get)")
    public Response bitrix24(@PathParam("integration") String id, MultivaluedMap<String, String> form, @Context HttpServerRequest http) {
        return handle("bitrix24", id, size(form), http, i -> {
            Map<String, Object> tree = FormTree.parse(flat(form));
            Map<String, Object> auth = FormTree.map(tree, "auth");
            if (!WebhookSignature.same(i.secret(), FormTree.text(auth, "application_token"))) {
                return problem(401, "unauthorized", "Not this integration's token",
                        new FieldError("auth[application_token]", "does not match this integration's outgoing webhook token"));
            }
            if (i.account() != null && !i.account().equalsIgnoreCase(String.valueOf(FormTree.text(auth, "domain")))) {
                return problem(401, "unauthorized", "Another Bitrix24 portal", new FieldError("auth[domain]", "is not this integration's portal"));
            }
            String event = String.valueOf(FormTree.text(tree, "event"));
            if (!event.equalsIgnoreCase("ONCRMDEALADD") && !event.equalsIgnoreCase("ONCRMDEALUPDATE")) {
                return Response.ok(Map.of("status", "ignored")).build();
            }
            String dealId = FormTree.text(FormTree.map(tree, "data", "FIELDS"), "ID");
            if (dealId == null || !dealId.matches("\\d{1,20}")) {
                throw ProblemException.invalidField("data[FIELDS][ID]", "is required: the deal's id");
            }
            integrations.queueFetch(i.id(), dealId);
            bitrix.trigger();
            return Response.ok(Map.of("status", "queued", "deal", dealId)).build();
        });
    }

    private Response handle(String format, String id, int size, HttpServerRequest http, java.util.function.Function<CrmIntegrations.Integration,
            Response> read) {
        if (size > MAX_BODY) {
            return count(format, problem(413, "too-large", "Request too large", new FieldError("body", "is larger than 256 KB")));
        }
        long wait = limits.waitSeconds(id, http.remoteAddress() == null ? null : http.remoteAddress().hostAddress());
        if (wait > 0) {
            return count(format, ProblemDetail.rateLimited(wait).build());
        }
        Optional<UUID> uuid = Ids.parse(id);
        Optional<CrmIntegrations.Integration> integration = uuid.flatMap(integrations::find).filter(i -> i.format().equals(format));
        if (integration.isEmpty()) {
            return count(format, problem(404, "not-found", "Not found", new FieldError("integration", "is not a " + format + " integration")));
        }
        try {
            return count(format, read.apply(integration.get()));
        } catch (CrmProblem e) {
            return count(format, problem(400, "invalid-request", "Invalid event", new FieldError(e.field(), e.getMessage())));
        } catch (ProblemException e) {
            metrics.counter("throughline_crm_webhooks_total", "format", format, "outcome", "refused_400").increment();
            throw e;
        }
    }

    private Response count(String format, Response response) {
        int status = response.getStatus();
        metrics.counter("throughline_crm_webhooks_total", "format", format, "outcome", status == 200 ? "accepted" : "refused_" + status).increment();
        return response;
    }

    private static DealSnapshot.Contact withVisitor(DealSnapshot.Contact c, String visitorId) {
        return visitorId == null || c.visitorId() != null ? c
                : new DealSnapshot.Contact(c.crmContactId(), c.emails(), c.phones(), visitorId, c.gaClientId(), c.ymClientId());
    }

    private static DealSnapshot withContact(DealSnapshot s, DealSnapshot.Contact c) {
        return new DealSnapshot(s.crm(), s.externalId(), s.title(), s.pipeline(), s.stage(), s.status(), s.lossReason(), s.currency(), s.amountMinor(),
                s.costMinor(), s.productLine(), s.manager(), c, s.createdAt(), s.updatedAt(), s.stages(), s.payments());
    }

    private static int size(MultivaluedMap<String, String> form) {
        if (form == null) {
            return 0;
        }
        int n = 0;
        for (var e : form.entrySet()) {
            n += e.getKey().length() + e.getValue().stream().mapToInt(v -> v == null ? 0 : v.length() + 2).sum();
        }
        return n;
    }

    private static Map<String, String> flat(MultivaluedMap<String, String> form) {
        Map<String, String> out = new LinkedHashMap<>();
        if (form != null) {
            form.forEach((k, v) -> out.put(k, v == null || v.isEmpty() ? "" : v.get(0)));
        }
        return out;
    }

    private static Response problem(int status, String slug, String title, FieldError error) {
        return ProblemDetail.of(status, slug, title, error.message(), List.of(error)).response().build();
    }
}
