package io.throughline.reporting.api;

import io.throughline.commons.api.FieldError;
import io.throughline.commons.api.Page;
import io.throughline.commons.api.ProblemDetail;
import io.throughline.commons.api.ProblemException;
import io.throughline.commons.money.Money;
import io.throughline.commons.tenant.TenantContext;
import io.throughline.reporting.config.ReportingConfig;
import io.throughline.reporting.domain.ReportSettings;
import io.throughline.reporting.domain.spend.GoogleAdsReport;
import io.throughline.reporting.domain.spend.MetaInsightsReport;
import io.throughline.reporting.domain.spend.SpendCsv;
import io.throughline.reporting.domain.spend.SpendFile;
import io.throughline.reporting.domain.spend.SpendInputs;
import io.throughline.reporting.domain.spend.VkAdsReport;
import io.throughline.reporting.domain.spend.YandexDirectReport;
import io.throughline.reporting.processing.SpendImports;
import io.throughline.reporting.store.ImportStore;
import io.throughline.reporting.store.SettingsStore;
import io.throughline.reporting.store.SpendStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/reporting/spend")
@Tag(name = "Ad spend", description = "Spend per day, platform, account, campaign, ad group and keyword; uploads of the platforms' own reports")
@Produces(MediaType.APPLICATION_JSON)
public class SpendResource {

    static final List<String> FORMATS = List.of("csv", "yandex_direct", "google_ads", "meta", "vk_ads");

    private final SpendImports imports;
    private final ImportStore importStore;
    private final SpendStore spend;
    private final SettingsStore settings;
    private final TenantContext tenant;
    private final ReportingConfig config;

    public SpendResource(SpendImports imports, ImportStore importStore, SpendStore spend, SettingsStore settings, TenantContext tenant,
            ReportingConfig config) {
        this.imports = imports;
        this.importStore = importStore;
        this.spend = spend;
        this.settings = settings;
        this.tenant = tenant;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({"admin", "ingest"})
    @Operation(summary = "Import spend rows (up to 5,000): each day of each platform account given is replaced by its rows; the answer is the"
            + " import's summary, malformed rows refused with their index and reason while the rest imports")
    @APIResponse(responseCode = "200", description = "Imported (see summary and rejections)")
    @APIResponse(responseCode = "400", description = "Not a spend import, or every row was refused")
    public ImportView importRows(@Valid @NotNull SpendRequest request) {
        String tenantId = tenant.tenantId();
        List<SpendInputs.Input> inputs = request.rows().stream().map(r -> r == null ? null : new SpendInputs.Input(r.day(), r.platform(), r.account(),
                r.campaignId(), r.campaign(), r.adGroup(), r.keyword(), r.impressions(), r.clicks(), r.cost(), r.currency(), r.conversions(), r.utmSource(),
                r.utmMedium(), r.channel())).toList();
        SpendFile file = SpendInputs.parse(inputs, settings.get(tenantId).platforms(), LocalDate.now(settings.get(tenantId).zone()));
        if (file.rows().isEmpty()) {
            throw ProblemException.badRequest("every row was refused; nothing was imported", file.rejected().stream()
                    .map(r -> new FieldError("rows[" + r.line() + "]." + r.field(), r.reason())).toArray(FieldError[]::new));
        }
        return ImportView.of(imports.runNow(tenantId, "json", "api", file));
    }

    @POST
    @Path("/imports")
    @Consumes({"text/csv", "text/tab-separated-values", "text/plain", MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    @RolesAllowed({"admin", "ingest"})
    @Operation(summary = "Upload a spend file: Throughline's CSV, a Yandex Direct Reports TSV, a Google Ads searchStream answer, a Meta Insights"
            + " answer or a VK Ads statistics answer (format=); written in the background with progress, see the import")
    @APIResponse(responseCode = "202", description = "Accepted: the import runs (GET its address for progress and summary)")
    @APIResponse(responseCode = "400", description = "Unknown format, missing account / currency, or the file cannot be read at all")
    @APIResponse(responseCode = "413", description = "Larger than the upload limit")
    public Response upload(byte[] body, @QueryParam("format") String format, @QueryParam("account") String account,
            @QueryParam("currency") String currency, @QueryParam("money") String money) {
        String tenantId = tenant.tenantId();
        if (format == null || !FORMATS.contains(format)) {
            throw ProblemException.invalidField("format", "must be one of " + String.join(", ", FORMATS));
        }
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest("the body is empty: send the file itself");
        }
        if (body.length > config.imports().maxBytes()) {
            throw new ProblemException(ProblemDetail.of(413, "too-large", "Payload too large", "an upload holds at most " + config.imports().maxBytes()
                    + " bytes; split the file by month", null));
        }
        ReportSettings s = settings.get(tenantId);
        String text = utf8(body);
        if (!format.equals("csv") && !format.equals("google_ads") && !format.equals("meta") && currency == null) {
            throw ProblemException.invalidField("currency", "is required for " + format + " (the report does not carry the account's currency)");
        }
        if (currency != null && Money.currency(currency).isEmpty()) {
            throw ProblemException.invalidField("currency", "is not an ISO 4217 currency code");
        }
        if (money != null && !money.equals("micros") && !money.equals("units")) {
            throw ProblemException.invalidField("money", "must be micros (the API's default) or units (returnMoneyInMicros: false)");
        }
        String acct = account == null ? "" : account.strip();
        LocalDate today = LocalDate.now(s.zone());
        SpendFile file;
        try {
            file = switch (format) {
                case "csv" -> SpendCsv.parse(text, s.platforms(), today);
                case "yandex_direct" -> YandexDirectReport.parse(text, acct, currency, !"units".equals(money), s.platforms(), today);
                case "google_ads" -> GoogleAdsReport.parse(text, acct, currency, s.platforms(), today);
                case "meta" -> MetaInsightsReport.parse(text, acct, currency, s.platforms(), today);
                default -> VkAdsReport.parse(text, acct, currency, Map.of(), s.platforms(), today);
            };
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("the " + format + " file cannot be read: " + e.getMessage(), new FieldError("body", e.getMessage()));
        }
        if (file.read() > config.imports().maxRows()) {
            throw new ProblemException(ProblemDetail.of(413, "too-large", "Payload too large", "an import holds at most " + config.imports().maxRows()
                    + " rows; split the file", null));
        }
        ImportView started = ImportView.of(imports.submit(tenantId, format, "upload", file));
        return Response.accepted(started).location(URI.create("/api/reporting/spend/imports/" + started.id())).build();
    }

    @GET
    @Path("/imports/{id}")
    @RolesAllowed({"admin", "analyst", "ingest"})
    @Operation(summary = "One import: progress while it runs, the summary and rejections when done")
    @APIResponse(responseCode = "404", description = "No such import in this workspace")
    public ImportView importOf(@PathParam("id") String id) {
        UUID uuid = io.throughline.commons.id.Ids.parse(id).orElseThrow(() -> ProblemException.notFound("import " + id));
        return importStore.find(tenant.tenantId(), uuid).map(ImportView::of).orElseThrow(() -> ProblemException.notFound("import " + id));
    }

    @GET
    @Path("/imports")
    @RolesAllowed({"admin", "analyst", "ingest"})
    @Operation(summary = "Imports, newest first")
    public Page<ImportView> imports(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        int size = Page.limit(limit);
        Page.TimeKey after = Page.afterTime(cursor);
        return Page.of(importStore.page(tenant.tenantId(), after == null ? null : after.at(), after == null ? null : after.id(), size + 1), size,
                i -> Page.TimeKey.of(i.createdAt(), i.id()), ImportView::of);
    }

    /** A stored spend row; money in major units with the currency's digits. */
    public record SpendView(LocalDate day, String platform, String account, String campaignId, String campaignName, String campaign, String adGroup,
            String keyword, String source, String medium, String channel, long impressions, long clicks, BigDecimal cost, String currency,
            BigDecimal conversions) {
    }

    @GET
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "Stored spend in a period (dates inclusive), in key order")
    @APIResponse(responseCode = "400", description = "Missing or invalid period")
    public Page<SpendView> list(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("platform") String platform,
            @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        ReportPeriod period = ReportPeriod.of(from, to, 3660);
        int size = Page.limit(limit);
        String after = Page.after(cursor);
        if (after != null && after.split("\n", -1).length != 6) {
            throw ProblemException.invalidField("cursor", "is not a cursor this endpoint returned");
        }
        return Page.of(spend.page(tenant.tenantId(), period.from(), period.to(), platform, after, size + 1), size, SpendStore::keyOf,
                s -> new SpendView(s.day(), s.platform(), s.account(), s.campaignId(), s.campaignName(), s.campaign(), s.adGroup(), s.keyword(),
                        s.source(), s.medium(), s.channel(), s.impressions(), s.clicks(), new Money(s.costMinor(), Currency.getInstance(s.currency())).major(),
                        s.currency(), s.conversions()));
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw ProblemException.badRequest("the file is not UTF-8 text (save it as UTF-8; Excel: CSV UTF-8)", new FieldError("body", "is not UTF-8"));
        }
    }
}
