package io.throughline.attribution.api;

import io.throughline.attribution.store.CrmIntegrations;
import io.throughline.commons.api.Page;
import io.throughline.commons.api.ProblemException;
import io.throughline.commons.id.Ids;
import io.throughline.commons.money.Money;
import io.throughline.commons.tenant.TenantContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** CRM integrations: each has its webhook address and the secret its events prove themselves with. */
@Path("/api/attribution/integrations")
@Tag(name = "CRM integrations", description = "CRM webhooks and their secrets")
@Produces(MediaType.APPLICATION_JSON)
public class CrmIntegrationResource {

    @Schema(example = """
            {"name": "Main amoCRM", "format": "amocrm", "account": "mystore", "currency": "RUB", "won_is_paid": true, "visitor_field": "tl_visitor_id"}""")
    public record IntegrationRequest(String name, String format, String crm, String secret, String account, String restUrl, String currency,
            Boolean wonIsPaid, String visitorField) {
    }

    /** An integration; {@code secret} (and the amoCRM address with its token) only in the answer that created it. */
    public record IntegrationView(String id, String name, String format, String crm, String webhookUrl, String account, String currency,
            boolean wonIsPaid, String visitorField, String secret, Instant createdAt) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final CrmIntegrations integrations;
    private final TenantContext tenant;
    private final Optional<String> publicBaseUrl;
    private final io.throughline.attribution.config.AdSecrets connections;

    public CrmIntegrationResource(CrmIntegrations integrations, TenantContext tenant,
            @ConfigProperty(name = "throughline.attribution.public-base-url") Optional<String> publicBaseUrl,
            io.throughline.attribution.config.AdSecrets connections) {
        this.integrations = integrations;
        this.tenant = tenant;
        this.publicBaseUrl = publicBaseUrl;
        this.connections = connections;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    @Operation(summary = "Add a CRM integration (generic, amocrm or bitrix24); the answer carries the webhook address and, once, the secret")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "400", description = "An invalid field (named in the problem)")
    @APIResponse(responseCode = "409", description = "An integration with this name exists")
    public Response create(IntegrationRequest r) {
        if (r == null) {
            throw ProblemException.invalidField("body", "must be an integration");
        }
        if (r.name() == null || r.name().isBlank() || r.name().length() > 120) {
            throw ProblemException.invalidField("name", "is required (at most 120 characters)");
        }
        if (r.format() == null || !r.format().matches("generic|amocrm|bitrix24")) {
            throw ProblemException.invalidField("format", "must be generic, amocrm or bitrix24");
        }
        String crm = r.crm() == null ? (r.format().equals("generic") ? "generic" : r.format()) : r.crm();
        if (!crm.matches("[a-z0-9][a-z0-9_-]{0,31}")) {
            throw ProblemException.invalidField("crm", "must be a short lowercase name such as retailcrm");
        }
        boolean bitrix = r.format().equals("bitrix24");
        if (bitrix && (r.secret() == null || r.secret().isBlank())) {
            throw ProblemException.invalidField("secret", "is required for bitrix24: the outgoing webhook's application token");
        }
        if (r.secret() != null && !r.secret().isBlank() && (r.secret().strip().length() < 16 || r.secret().length() > 200)) {
            throw ProblemException.invalidField("secret", "must be 16-200 characters (leave it out to have one generated)");
        }
        if (bitrix && (r.restUrl() == null || !r.restUrl().matches("https?://[^\\s?#]{3,400}/"))) {
            throw ProblemException.invalidField("rest_url", "is required for bitrix24: the inbound webhook address ending in '/', "
                    + "e.g. https://portal.bitrix24.ru/rest/1/abcd1234/");
        }
        String unreachable = bitrix ? io.throughline.commons.net.ConnectorUrls.check(r.restUrl(), connections.allowPrivateNetworks()) : null;
        if (unreachable != null) {
            throw ProblemException.invalidField("rest_url", unreachable); // SSRF: the portal address must not reach inside the platform
        }
        String currency = r.currency() == null ? "RUB" : r.currency();
        if (Money.currency(currency).isEmpty()) {
            throw ProblemException.invalidField("currency", "must be an ISO 4217 code such as RUB");
        }
        if (r.account() != null && (r.account().isBlank() || r.account().length() > 200)) {
            throw ProblemException.invalidField("account", "at most 200 characters");
        }
        if (r.visitorField() != null && (r.visitorField().isBlank() || r.visitorField().length() > 100)) {
            throw ProblemException.invalidField("visitor_field", "at most 100 characters");
        }
        boolean generated = r.secret() == null || r.secret().isBlank();
        String secret = generated ? generate() : r.secret().strip();
        CrmIntegrations.Integration i = new CrmIntegrations.Integration(Ids.newId(), tenant.tenantId(), r.name().strip(), r.format(), crm, secret,
                r.account() == null ? null : r.account().strip(), bitrix ? r.restUrl() : null, currency, r.wonIsPaid() == null || r.wonIsPaid(),
                r.visitorField(), Instant.now().truncatedTo(ChronoUnit.MICROS));
        try {
            integrations.add(i);
        } catch (CrmIntegrations.NameTaken e) {
            throw ProblemException.conflict("An integration named '" + i.name() + "' already exists");
        }
        return Response.created(URI.create("/api/attribution/integrations/" + i.id())).entity(view(i, true, generated)).build();
    }

    @GET
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "The workspace's CRM integrations (without secrets)")
    public Page<IntegrationView> list() {
        return new Page<>(integrations.ofTenant(tenant.tenantId()).stream().map(i -> view(i, false, false)).toList(), null);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed("admin")
    @Operation(summary = "Remove an integration: its webhook address stops working (deals already stored stay)")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "No such integration in this workspace")
    public Response delete(@PathParam("id") String id) {
        UUID uuid = Ids.parse(id).orElseThrow(() -> ProblemException.notFound("Integration " + id));
        if (!integrations.delete(tenant.tenantId(), uuid)) {
            throw ProblemException.notFound("Integration " + id);
        }
        return Response.noContent().build();
    }

    private IntegrationView view(CrmIntegrations.Integration i, boolean created, boolean showSecret) {
        String url = publicBaseUrl.orElse("").replaceAll("/$", "") + "/webhooks/crm/" + i.format() + "/" + i.id();
        if (i.format().equals("amocrm")) {
            url = created ? url + "?token=" + i.secret() : url + "?token=...";
        }
        return new IntegrationView(i.id().toString(), i.name(), i.format(), i.crm(), url, i.account(), i.currency(), i.wonIsPaid(), i.visitorField(),
                showSecret || created && i.format().equals("amocrm") ? i.secret() : null, i.createdAt());
    }

    private static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
