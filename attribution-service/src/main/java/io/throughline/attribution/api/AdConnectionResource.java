package io.throughline.attribution.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.throughline.attribution.config.AdSecrets;
import io.throughline.attribution.domain.audiences.AudiencePlatform;
import io.throughline.attribution.store.AdConnections;
import io.throughline.attribution.store.AudienceStore;
import io.throughline.commons.api.Page;
import io.throughline.commons.api.ProblemException;
import io.throughline.commons.id.Ids;
import io.throughline.commons.net.ConnectorUrls;
import io.throughline.commons.tenant.TenantContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Connections to ad platforms' APIs (credentials sealed at rest, never shown again), the audiences pushed through them,
 * and the offline conversions sent back.
 */
@Path("/api/attribution")
@Tag(name = "Ad connections", description = "Audience pushes and offline conversions to Google, Meta, Yandex and VK")
@Produces(MediaType.APPLICATION_JSON)
public class AdConnectionResource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Set<String>> CREDENTIALS = Map.of("google", Set.of("access_token"), "meta", Set.of("access_token"),
            "yandex", Set.of("oauth_token"), "vk", Set.of("access_token"));
    private static final Map<String, Set<String>> OPTIONS = Map.of("google", Set.of("customer_id"), "meta", Set.of(), "yandex", Set.of(), "vk", Set.of("account_id"));
    private static final Map<String, Set<String>> CONVERSION_OPTIONS = Map.of("google", Set.of("conversion_action"), "meta", Set.of("pixel_id"),
            "yandex", Set.of("counter_id", "goal"));

    @Schema(example = """
            {"platform": "google", "name": "Google Ads (main)", "credentials": {"access_token": "ya29...", "developer_token": "..."},
             "options": {"customer_id": "1234567890", "conversion_action": "customers/1234567890/conversionActions/987"}, "conversions": true}""")
    public record ConnectionRequest(String platform, String name, String baseUrl, Map<String, String> credentials, Map<String, String> options,
            Boolean conversions) {
    }

    public record ConnectionView(UUID id, String platform, String name, String baseUrl, Map<String, String> options, boolean conversions,
            Instant createdAt) {
    }

    public record SyncRequest(String remoteList) {
    }

    private final AdConnections connections;
    private final AudienceStore audiences;
    private final AdSecrets secrets;
    private final TenantContext tenant;

    public AdConnectionResource(AdConnections connections, AudienceStore audiences, AdSecrets secrets, TenantContext tenant) {
        this.connections = connections;
        this.audiences = audiences;
        this.secrets = secrets;
        this.tenant = tenant;
    }

    @POST
    @Path("/ad-connections")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    @Operation(summary = "Connect an ad platform's API (credentials are sealed and never shown again); conversions=true sends paid deals back")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "400", description = "An invalid field (named in the problem)")
    public Response create(ConnectionRequest body) {
        if (body == null) {
            throw ProblemException.invalidField("body", "is required");
        }
        String platform = body.platform();
        if (platform == null || AudiencePlatform.of(platform).isEmpty()) {
            throw ProblemException.invalidField("platform", "must be one of google, meta, yandex, vk");
        }
        if (body.name() == null || body.name().isBlank() || body.name().length() > 120) {
            throw ProblemException.invalidField("name", "is required (at most 120 characters)");
        }
        if (body.baseUrl() != null && !body.baseUrl().isBlank()) {
            String problem = ConnectorUrls.check(body.baseUrl(), secrets.allowPrivateNetworks());
            if (problem != null) {
                throw ProblemException.invalidField("base_url", problem);
            }
        }
        boolean conversions = Boolean.TRUE.equals(body.conversions());
        if (conversions && !CONVERSION_OPTIONS.containsKey(platform)) {
            throw ProblemException.invalidField("conversions", platform + " takes no offline conversions through Throughline");
        }
        Map<String, String> credentials = checked("credentials", body.credentials(), CREDENTIALS.get(platform));
        if (conversions && platform.equals("google") && !credentials.containsKey("developer_token")) {
            throw ProblemException.invalidField("credentials.developer_token", "is required for Google Ads conversions");
        }
        Set<String> requiredOptions = new java.util.HashSet<>(OPTIONS.get(platform));
        if (conversions) {
            requiredOptions.addAll(CONVERSION_OPTIONS.get(platform));
        }
        Map<String, String> options = checked("options", body.options(), requiredOptions);
        String tenantId = tenant.tenantId();
        if (connections.list(tenantId).stream().anyMatch(c -> c.name().equals(body.name()))) {
            throw ProblemException.conflict("a connection named \"" + body.name() + "\" exists");
        }
        byte[] sealed = secrets.box().seal(tenantId, json(credentials));
        AdConnections.Connection c = connections.create(tenantId, platform, body.name(), blankToNull(body.baseUrl()), sealed, json(options), conversions,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        return Response.status(201).entity(view(c)).build();
    }

    @GET
    @Path("/ad-connections")
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "The workspace's ad platform connections (credential names only)")
    public Page<ConnectionView> list() {
        return new Page<>(connections.list(tenant.tenantId()).stream().map(AdConnectionResource::view).toList(), null);
    }

    @DELETE
    @Path("/ad-connections/{id}")
    @RolesAllowed("admin")
    @Operation(summary = "Disconnect (its syncs and queued conversions go with it)")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response delete(@PathParam("id") String id) {
        if (!connections.delete(tenant.tenantId(), connection(id).id())) {
            throw ProblemException.notFound("ad connection");
        }
        return Response.noContent().build();
    }

    @GET
    @Path("/ad-connections/{id}/conversions")
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "The connection's offline conversions, newest first: sent, no_click, refunded, refused (with the platform's reason) or pending")
    public Page<AdConnections.Conversion> conversions(@PathParam("id") String id, @QueryParam("limit") @DefaultValue("100") int limit) {
        return new Page<>(connections.conversions(connection(id).id(), Math.max(1, Math.min(limit, 1000))), null);
    }

    @PUT
    @Path("/ad-connections/{id}/syncs/{audience}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    @Operation(summary = "Push an audience to a platform list through the connection (the whole list first, then each version's changes)")
    public AdConnections.Sync putSync(@PathParam("id") String id, @PathParam("audience") String audience, SyncRequest body) {
        AdConnections.Connection c = connection(id);
        AudienceStore.Audience a = Ids.parse(audience).flatMap(uuid -> audiences.find(c.tenantId(), uuid))
                .orElseThrow(() -> ProblemException.invalidField("audience", "is not an audience of this workspace"));
        if (body == null || body.remoteList() == null || !body.remoteList().matches("[A-Za-z0-9_./:-]{1,200}")) {
            throw ProblemException.invalidField("remote_list", "is the platform's list id (letters, digits, _ . / : -)");
        }
        return connections.upsertSync(a.id(), c.id(), body.remoteList());
    }

    @GET
    @Path("/ad-connections/{id}/syncs")
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "The audiences pushed through the connection: the version the platform has, what was sent, the last error")
    public Page<AdConnections.Sync> syncs(@PathParam("id") String id) {
        return new Page<>(connections.syncsOf(connection(id).id()), null);
    }

    @DELETE
    @Path("/ad-connections/{id}/syncs/{audience}")
    @RolesAllowed("admin")
    @Operation(summary = "Stop pushing the audience through the connection")
    @APIResponse(responseCode = "204", description = "Stopped")
    public Response deleteSync(@PathParam("id") String id, @PathParam("audience") String audience) {
        AdConnections.Connection c = connection(id);
        UUID a = Ids.parse(audience).orElseThrow(() -> ProblemException.notFound("sync"));
        if (!connections.deleteSync(a, c.id())) {
            throw ProblemException.notFound("sync");
        }
        return Response.noContent().build();
    }

    private static Map<String, String> checked(String field, Map<String, String> values, Set<String> required) {
        Map<String, String> out = new TreeMap<>(values == null ? Map.of() : values);
        if (out.size() > 20) {
            throw ProblemException.invalidField(field, "has at most 20 entries");
        }
        for (Map.Entry<String, String> e : out.entrySet()) {
            if (!e.getKey().matches("[a-z][a-z0-9_]{0,39}") || e.getValue() == null || e.getValue().length() > 4096) {
                throw ProblemException.invalidField(field + "." + e.getKey(), "must be a string of at most 4096 characters under a snake_case name");
            }
        }
        for (String key : new java.util.TreeSet<>(required)) {
            if (out.get(key) == null || out.get(key).isBlank()) {
                throw ProblemException.invalidField(field + "." + key, "is required");
            }
        }
        return out;
    }

    private static ConnectionView view(AdConnections.Connection c) {
        try {
            Map<String, String> options = JSON.readValue(c.options(), new com.fasterxml.jackson.core.type.TypeReference<TreeMap<String, String>>() {
            });
            return new ConnectionView(c.id(), c.platform(), c.name(), c.baseUrl(), options, c.conversions(), c.createdAt());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(Map<String, String> map) {
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private AdConnections.Connection connection(String id) {
        return Ids.parse(id).flatMap(uuid -> connections.find(tenant.tenantId(), uuid)).orElseThrow(() -> ProblemException.notFound("ad connection"));
    }

}
