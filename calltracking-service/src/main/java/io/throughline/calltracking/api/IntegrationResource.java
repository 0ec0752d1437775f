package io.throughline.calltracking.api;

import io.throughline.calltracking.config.CallTrackingConfig;
import io.throughline.calltracking.store.Integrations;
import io.throughline.commons.api.Page;
import io.throughline.commons.api.ProblemException;
import io.throughline.commons.id.Ids;
import io.throughline.commons.tenant.TenantContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.security.SecureRandom;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Telephony integrations: each has its webhook address and the secret its events are signed with. */
@Path("/api/calltracking/integrations")
@Tag(name = "Integrations", description = "Telephony webhooks and their secrets")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class IntegrationResource {

    @Schema(example = """
            {"name": "Office PBX", "format": "generic"}""")
    public record IntegrationRequest(@NotBlank @Size(max = 120) String name,
            @NotBlank @Pattern(regexp = "generic|twilio|zadarma", message = "must be generic, twilio or zadarma") String format,
            @Schema(description = "twilio: the account's Auth Token; zadarma: the API secret key; generic: leave out to have one generated")
            @Size(min = 16, max = 200) String secret,
            @Schema(description = "IANA zone the PBX writes local times in (Zadarma's call_start)") @Size(max = 60) String timeZone) {
    }

    /** An integration; {@code secret} only in the answer that created it. */
    public record IntegrationView(String id, String name, String format, String webhookUrl, String timeZone, String secret, Instant createdAt) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Integrations integrations;
    private final TenantContext tenant;
    private final CallTrackingConfig config;

    public IntegrationResource(Integrations integrations, TenantContext tenant, CallTrackingConfig config) {
        this.integrations = integrations;
        this.tenant = tenant;
        this.config = config;
    }

    @POST
    @RolesAllowed("admin")
    @Operation(summary = "Add a telephony integration; the answer carries the webhook address (and a generated secret, shown once)")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "409", description = "An integration with this name exists")
    public Response create(@Valid @NotNull IntegrationRequest request) {
        if (!"generic".equals(request.format()) && (request.secret() == null || request.secret().isBlank())) {
            throw ProblemException.invalidField("secret", "is required for " + request.format() + " (the provider's signing key)");
        }
        String zone = request.timeZone() == null || request.timeZone().isBlank() ? "Europe/Moscow" : request.timeZone().strip();
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw ProblemException.invalidField("time_zone", "is not an IANA time zone");
        }
        boolean generated = request.secret() == null || request.secret().isBlank();
        String secret = generated ? generate() : request.secret().strip();
        Integrations.Integration i = new Integrations.Integration(Ids.newId(), tenant.tenantId(), request.name().strip(), request.format(), secret,
                zone, Instant.now().truncatedTo(ChronoUnit.MICROS));
        try {
            integrations.add(i);
        } catch (Integrations.NameTaken e) {
            throw ProblemException.conflict("An integration named '" + i.name() + "' already exists");
        }
        return Response.created(URI.create("/api/calltracking/integrations/" + i.id())).entity(view(i, generated ? secret : null)).build();
    }

    @GET
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "The workspace's integrations (without secrets)")
    public Page<IntegrationView> list() {
        return new Page<>(integrations.ofTenant(tenant.tenantId()).stream().map(i -> view(i, null)).toList(), null);
    }

    private IntegrationView view(Integrations.Integration i, String secret) {
        String base = config.publicBaseUrl().orElse("").replaceAll("/$", "");
        return new IntegrationView(i.id().toString(), i.name(), i.format(), base + "/webhooks/calls/" + i.format() + "/" + i.id(), i.timeZone(), secret,
                i.createdAt());
    }

    private static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
