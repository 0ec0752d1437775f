package io.throughline.tracking.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.throughline.commons.api.FieldError;
import io.throughline.commons.api.FieldPaths;
import io.throughline.commons.api.ProblemException;
import io.throughline.commons.tenant.TenantContext;
import io.throughline.tracking.config.ShippedData;
import io.throughline.tracking.domain.ChannelClassifier;
import io.throughline.tracking.domain.ChannelRuleSet;
import io.throughline.tracking.domain.PageUrl;
import io.throughline.tracking.domain.ParameterRegistry;
import io.throughline.tracking.domain.TrafficSource;
import io.throughline.tracking.domain.TrafficSources;
import io.throughline.tracking.domain.Violation;
import io.throughline.tracking.store.TenantSettingsStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A workspace's channel rules and parameter registry (click ids, campaign aliases): the shipped defaults until
 * an admin saves their own, which apply to hits collected from then on. A draft can be tried on a URL first.
 */
@Path("/api/tracking")
@Tag(name = "Channels and parameters", description = "How visits are classified into channels, and which URL parameters mean what")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TrafficSettingsResource {

    /** Tells whether a GET shows the shipped default or the workspace's own document. */
    static final String ORIGIN_HEADER = "Throughline-Settings-Origin";

    private final TenantSettingsStore store;
    private final TenantTraffic traffic;
    private final TenantContext tenant;

    public TrafficSettingsResource(TenantSettingsStore store, TenantTraffic traffic, TenantContext tenant) {
        this.store = store;
        this.traffic = traffic;
        this.tenant = tenant;
    }

    @GET
    @Path("/channel-rules")
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "The channel rules in force (header Throughline-Settings-Origin: default or workspace)")
    public Response channelRules() {
        String id = tenant.tenantId();
        return Response.ok(traffic.channelRules(id)).header(ORIGIN_HEADER, origin(id, TenantSettingsStore.CHANNEL_RULES)).build();
    }

    @PUT
    @Path("/channel-rules")
    @RolesAllowed("admin")
    @Operation(summary = "Replace the workspace's channel rules", description = "The whole document: groups, ignored_referrers and the ordered rules. "
            + "Every problem is named by its JSON path.")
    @APIResponse(responseCode = "200", description = "Saved; applies to hits collected from now on")
    @APIResponse(responseCode = "400", description = "Unknown keys, bad regular expressions, unknown groups, too many rules")
    public ChannelRuleSet saveChannelRules(@NotNull JsonNode body) {
        ChannelRuleSet rules = rules(body);
        String id = tenant.tenantId();
        store.save(id, TenantSettingsStore.CHANNEL_RULES, json(body));
        traffic.changed(id);
        return rules;
    }

    @DELETE
    @Path("/channel-rules")
    @RolesAllowed("admin")
    @Operation(summary = "Go back to the shipped default channel rules")
    @APIResponse(responseCode = "204", description = "Reset")
    public Response resetChannelRules() {
        store.reset(tenant.tenantId(), TenantSettingsStore.CHANNEL_RULES);
        traffic.changed(tenant.tenantId());
        return Response.noContent().build();
    }

    @GET
    @Path("/click-ids")
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "The click-id registry and campaign aliases in force")
    public Response parameters() {
        String id = tenant.tenantId();
        return Response.ok(ParameterDocument.of(traffic.parameters(id))).header(ORIGIN_HEADER, origin(id, TenantSettingsStore.PARAMETERS)).build();
    }

    @PUT
    @Path("/click-ids")
    @RolesAllowed("admin")
    @Operation(summary = "Replace the workspace's click-id registry and campaign aliases")
    @APIResponse(responseCode = "400", description = "Invalid parameter names, duplicates, unknown alias targets")
    public ParameterDocument saveParameters(@NotNull JsonNode body) {
        ParameterRegistry registry = parameters(body);
        String id = tenant.tenantId();
        store.save(id, TenantSettingsStore.PARAMETERS, json(body));
        traffic.changed(id);
        return ParameterDocument.of(registry);
    }

    @DELETE
    @Path("/click-ids")
    @RolesAllowed("admin")
    @Operation(summary = "Go back to the shipped click-id registry")
    @APIResponse(responseCode = "204", description = "Reset")
    public Response resetParameters() {
        store.reset(tenant.tenantId(), TenantSettingsStore.PARAMETERS);
        traffic.changed(tenant.tenantId());
        return Response.noContent().build();
    }

    @POST
    @Path("/channel-rules/test")
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "Classify a landing URL and referrer", description = "With the rules in force, or with draft rules given in the body")
    public TrafficSource test(@NotNull TestRequest request) {
        PageUrl page = PageUrl.parse(request.url()).orElseThrow(() -> ProblemException.invalidField("url", "must be an http(s) URL"));
        String id = tenant.tenantId();
        ChannelRuleSet rules = request.rules() == null ? traffic.channelRules(id) : rules(request.rules());
        TrafficSources sources = new TrafficSources(traffic.parameters(id), ChannelClassifier.compile(rules));
        return sources.analyze(page, request.referrer(), request.siteDomains() == null ? List.of() : request.siteDomains());
    }

    /** A URL to classify, its referrer, the site's own domains (internal referrers), and optionally draft rules. */
    public record TestRequest(String url, String referrer, List<String> siteDomains, JsonNode rules) {
    }

    /** The registry as the API shows and takes it. */
    public record ParameterDocument(List<io.throughline.tracking.domain.ClickIdDefinition> clickIds, Map<String, String> campaignAliases) {
        static ParameterDocument of(ParameterRegistry registry) {
            return new ParameterDocument(registry.clickIds(), new java.util.TreeMap<>(registry.campaignAliases()));
        }
    }

    private String origin(String tenantId, String setting) {
        return store.find(tenantId, setting).isPresent() ? "workspace" : "default";
    }

    private static ChannelRuleSet rules(JsonNode body) {
        ChannelRuleSet rules = read(() -> ShippedData.STRICT.treeToValue(body, ChannelRuleSet.class));
        invalidIf(ChannelClassifier.violations(rules));
        return rules;
    }

    private static ParameterRegistry parameters(JsonNode body) {
        if (!body.isObject() || !body.path("click_ids").isArray()) {
            throw ProblemException.invalidField("click_ids", "must be an array");
        }
        if (body.has("campaign_aliases") && !body.get("campaign_aliases").isObject()) {
            throw ProblemException.invalidField("campaign_aliases", "must be an object");
        }
        ParameterRegistry registry = read(() -> ShippedData.parameters(body));
        invalidIf(registry.violations());
        return registry;
    }

    private static void invalidIf(List<Violation> violations) {
        if (!violations.isEmpty()) {
            throw ProblemException.badRequest(violations.size() + " problem(s) in the document",
                    violations.stream().map(v -> new FieldError(v.field(), v.message())).toArray(FieldError[]::new));
        }
    }

    private interface Reading<T> {
        T read() throws java.io.IOException;
    }

    private static <T> T read(Reading<T> reading) {
        try {
            return reading.read();
        } catch (JsonMappingException e) {
            String field = FieldPaths.fromJackson(e.getPath());
            throw ProblemException.invalidField(field.isEmpty() ? "body" : field, "is not allowed here or has the wrong type");
        } catch (java.io.IOException e) {
            throw ProblemException.invalidField("body", "is not a valid document");
        }
    }

    private static String json(JsonNode body) {
        try {
            return ShippedData.STRICT.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
