package io.throughline.reporting.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.throughline.commons.api.FieldError;
import io.throughline.commons.api.ProblemException;
import io.throughline.commons.id.Ids;
import io.throughline.commons.money.Money;
import io.throughline.commons.tenant.TenantContext;
import io.throughline.reporting.config.ReportingConfig;
import io.throughline.reporting.config.Secrets;
import io.throughline.commons.net.ConnectorUrls;
import io.throughline.reporting.domain.spend.Platforms;
import io.throughline.reporting.processing.ConnectorPulls;
import io.throughline.reporting.store.ConnectorStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/reporting/connectors")
@Tag(name = "Spend connectors", description = "Scheduled pulls of spend from Yandex Direct, Google Ads, Meta and VK Ads")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ConnectorResource {

    static final Map<String, String> DEFAULT_BASE = Map.of(Platforms.YANDEX_DIRECT, "https://api.direct.yandex.com", Platforms.GOOGLE_ADS,
            "https://googleads.googleapis.com", Platforms.META, "https://graph.facebook.com", Platforms.VK_ADS, "https://ads.vk.com");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ExecutorService PULLS = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "connector-pull");
        t.setDaemon(true);
        return t;
    });

    private final ConnectorStore store;
    private final ConnectorPulls pulls;
    private final Secrets secrets;
    private final TenantContext tenant;
    private final ReportingConfig config;

    public ConnectorResource(ConnectorStore store, ConnectorPulls pulls, Secrets secrets, TenantContext tenant, ReportingConfig config) {
        this.store = store;
        this.pulls = pulls;
        this.secrets = secrets;
        this.tenant = tenant;
        this.config = config;
    }

    @Schema(description = "A connector; credentials per platform: yandex_direct token [client_login]; google_ads developer_token and access_token, or"
            + " refresh_token, client_id, client_secret [login_customer_id]; meta access_token; vk_ads access_token. They are sealed at rest and never"
            + " returned. Options: api_version, level (google_ads: campaign, ad_group, keyword), include_vat (yandex_direct), token_url.",
            example = """
            {"name": "Direct main", "platform": "yandex_direct", "account": "shop-direct", "currency": "RUB",
             "credentials": {"token": "y0_AgAAAA..."}, "every_minutes": 360, "lookback_days": 3}""")
    public record ConnectorRequest(String name, String platform, String account, String currency, String baseUrl, Map<String, String> credentials,
            Map<String, String> options, Integer everyMinutes, Integer lookbackDays, Boolean enabled) {
    }

    public record ConnectorView(String id, String name, String platform, String account, String currency, String baseUrl, Map<String, String> options,
            int everyMinutes, int lookbackDays, boolean enabled, boolean credentialsSet, Instant nextRunAt, Instant lastRunAt, String lastImportId,
            String lastError, int failedAttempts) {

        static ConnectorView of(ConnectorStore.Connector c) {
            return new ConnectorView(c.id().toString(), c.name(), c.platform(), c.account(), c.currency(), c.baseUrl(), c.options(), c.everyMinutes(),
                    c.lookbackDays(), c.enabled(), c.credentials().length > 0, c.nextRunAt(), c.lastRunAt(),
                    c.lastImportId() == null ? null : c.lastImportId().toString(), c.lastError(), c.attempts());
        }
    }

    @POST
    @RolesAllowed("admin")
    @Operation(summary = "Add a connector (or replace the one of the same name); it pulls at once, then every every_minutes")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "400", description = "A field is invalid (named), the base address private or not https")
    public Response create(@NotNull ConnectorRequest r) {
        ConnectorView v = save(r, true);
        return Response.created(URI.create("/api/reporting/connectors/" + v.id())).entity(v).build();
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed("admin")
    @Operation(summary = "Change a connector; credentials only when given")
    public ConnectorView update(@PathParam("id") String id, @NotNull ConnectorRequest r) {
        ConnectorStore.Connector existing = connector(id);
        if (r.name() != null && !r.name().equals(existing.name())) {
            throw ProblemException.invalidField("name", "cannot change (create a new connector instead)");
        }
        return save(new ConnectorRequest(existing.name(), r.platform(), r.account(), r.currency(), r.baseUrl(), r.credentials(), r.options(),
                r.everyMinutes(), r.lookbackDays(), r.enabled()), false);
    }

    @GET
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "The workspace's connectors (never their credentials)")
    public Map<String, List<ConnectorView>> list() {
        return Map.of("items", store.list(tenant.tenantId()).stream().map(ConnectorView::of).toList());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({"admin", "analyst"})
    public ConnectorView get(@PathParam("id") String id) {
        return ConnectorView.of(connector(id));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed("admin")
    public Response delete(@PathParam("id") String id) {
        store.delete(tenant.tenantId(), connector(id).id());
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/pull")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed("admin")
    @Operation(summary = "Pull [from, to] now (default: the connector's lookback); the import appears as last_import_id")
    @APIResponse(responseCode = "202", description = "Pulling")
    public Response pull(@PathParam("id") String id, @QueryParam("from") String from, @QueryParam("to") String to) {
        ConnectorStore.Connector c = connector(id);
        ReportPeriod period = from == null && to == null ? new ReportPeriod(LocalDate.now().minusDays(c.lookbackDays()), LocalDate.now())
                : ReportPeriod.of(from, to, 93);
        PULLS.submit(() -> pulls.pull(c, period.from(), period.to()));
        return Response.accepted(ConnectorView.of(c)).build();
    }

    private ConnectorStore.Connector connector(String id) {
        UUID uuid = Ids.parse(id).orElseThrow(() -> ProblemException.notFound("connector " + id));
        return store.find(tenant.tenantId(), uuid).orElseThrow(() -> ProblemException.notFound("connector " + id));
    }

    private ConnectorView save(ConnectorRequest r, boolean credentialsRequired) {
        List<FieldError> errors = new ArrayList<>();
        if (r.name() == null || r.name().isBlank() || r.name().length() > 100) {
            errors.add(new FieldError("name", "is required (at most 100 characters)"));
        }
        if (r.platform() == null || !DEFAULT_BASE.containsKey(r.platform())) {
            errors.add(new FieldError("platform", "must be one of " + String.join(", ", new java.util.TreeSet<>(DEFAULT_BASE.keySet()))));
        }
        if (r.account() == null || r.account().isBlank() || r.account().length() > 100) {
            errors.add(new FieldError("account", "is required: the platform's account (Yandex login, Google customer id, Meta ad account, VK cabinet)"));
        }
        if (Money.currency(r.currency()).isEmpty()) {
            errors.add(new FieldError("currency", "is required: the account's ISO 4217 currency"));
        }
        String base = r.baseUrl() == null || r.baseUrl().isBlank() ? DEFAULT_BASE.getOrDefault(r.platform(), "") : r.baseUrl().strip();
        String problem = base.isEmpty() ? null : ConnectorUrls.check(base, config.connectors().allowPrivateNetworks());
        if (problem != null) {
            errors.add(new FieldError("base_url", problem));
        }
        Map<String, String> credentials = r.credentials();
        if (credentials == null && credentialsRequired) {
            errors.add(new FieldError("credentials", "are required"));
        } else if (credentials != null && (credentials.size() > 20 || credentials.values().stream().anyMatch(v -> v == null || v.length() > 4096))) {
            errors.add(new FieldError("credentials", "at most 20 string values of up to 4096 characters"));
        }
        Map<String, String> options = r.options() == null ? Map.of() : r.options();
        if (options.size() > 20 || options.values().stream().anyMatch(v -> v == null || v.length() > 500)) {
            errors.add(new FieldError("options", "at most 20 string values of up to 500 characters"));
        }
        int every = r.everyMinutes() == null ? 360 : r.everyMinutes();
        if (every < 15 || every > 10080) {
            errors.add(new FieldError("every_minutes", "must be between 15 and 10080"));
        }
        int lookback = r.lookbackDays() == null ? 3 : r.lookbackDays();
        if (lookback < 1 || lookback > 90) {
            errors.add(new FieldError("lookback_days", "must be between 1 and 90"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest(errors.size() + " field(s) are invalid", errors.toArray(FieldError[]::new));
        }
        String tenantId = tenant.tenantId();
        byte[] sealed;
        try {
            sealed = credentials == null ? null : secrets.box().seal(tenantId, JSON.writeValueAsString(credentials));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return ConnectorView.of(store.save(tenantId, r.name().strip(), r.platform(), r.account().strip(), r.currency(), base, sealed, options, every,
                lookback, r.enabled() == null || r.enabled()));
    }
}
