package io.throughline.reporting.api;

import io.throughline.commons.api.FieldError;
import io.throughline.commons.api.ProblemException;
import io.throughline.commons.money.Money;
import io.throughline.commons.tenant.TenantContext;
import io.throughline.reporting.domain.rates.CbrDailyXml;
import io.throughline.reporting.domain.rates.ExchangeRates;
import io.throughline.reporting.domain.rates.RateCsv;
import io.throughline.reporting.store.RateStore;
import io.throughline.reporting.store.SettingsStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/reporting/rates")
@Tag(name = "Exchange rates", description = "Daily rates spend and revenue are converted at (Central Bank of Russia XML or CSV)")
@Produces(MediaType.APPLICATION_JSON)
public class RateResource {

    private final RateStore rates;
    private final SettingsStore settings;
    private final TenantContext tenant;
    private final io.throughline.reporting.processing.RatePulls pulls;

    public RateResource(RateStore rates, SettingsStore settings, TenantContext tenant, io.throughline.reporting.processing.RatePulls pulls) {
        this.rates = rates;
        this.settings = settings;
        this.tenant = tenant;
        this.pulls = pulls;
    }

    @POST
    @Path("/cbr")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed("admin")
    @Operation(summary = "Pull the Central Bank of Russia's daily rates for the days from .. to (at most 62 days)")
    @APIResponse(responseCode = "200", description = "Stored")
    @APIResponse(responseCode = "503", description = "The bank did not answer")
    public Map<String, Integer> pullCbr(@QueryParam("from") String from, @QueryParam("to") String to) {
        ReportPeriod period = ReportPeriod.of(from, to, 62);
        try {
            return Map.of("stored", pulls.pull(tenant.tenantId(), period.from(), period.to()));
        } catch (java.io.IOException e) {
            throw ProblemException.unavailable("the Central Bank's rates could not be read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ProblemException.unavailable("the Central Bank answered something else than its daily rates: " + e.getMessage());
        }
    }

    public record Problem(int line, String field, String reason) {
    }

    public record ImportSummary(int read, int inserted, int replaced, List<Problem> rejected) {
    }

    @POST
    @Path("/imports")
    @Consumes({"application/xml", "text/xml", "text/csv", "text/plain", MediaType.APPLICATION_OCTET_STREAM})
    @RolesAllowed({"admin", "ingest"})
    @Operation(summary = "Import rates: format=cbr_xml (the Central Bank of Russia's XML_daily.asp answer, roubles per unit) or csv (day,"
            + " currency, rate[, nominal][, quote]; quote defaults to the workspace currency); a rate given again for its day replaces it")
    @APIResponse(responseCode = "200", description = "Stored; rows that could not be read are listed")
    @APIResponse(responseCode = "400", description = "Unknown format, or the document cannot be read at all")
    public ImportSummary importRates(byte[] body, @QueryParam("format") String format) {
        String tenantId = tenant.tenantId();
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest("the body is empty");
        }
        if (body.length > 4 * 1024 * 1024) {
            throw ProblemException.badRequest("a rates document holds at most 4 MB");
        }
        List<ExchangeRates.Rate> parsed;
        List<Problem> problems;
        int read;
        try {
            if ("cbr_xml".equals(format)) {
                CbrDailyXml.Result r = CbrDailyXml.parse(body);
                parsed = r.rates();
                read = r.rates().size() + r.problems().size();
                problems = r.problems().stream().map(p -> new Problem(0, "Valute", p)).toList();
            } else if ("csv".equals(format)) {
                RateCsv.Result r = RateCsv.parse(new String(body, StandardCharsets.UTF_8), settings.get(tenantId).currency());
                parsed = r.rates();
                read = r.read();
                problems = r.rejected().stream().map(p -> new Problem(p.line(), p.field(), p.reason())).toList();
            } else {
                throw ProblemException.invalidField("format", "must be cbr_xml or csv");
            }
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(e.getMessage(), new FieldError("body", e.getMessage()));
        }
        int inserted = rates.upsert(tenantId, parsed, format);
        return new ImportSummary(read, inserted, parsed.size() - inserted, problems);
    }

    public record RateView(LocalDate day, String currency, String quote, BigDecimal rate, String source) {
    }

    @GET
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "Stored rates in a period (dates inclusive), optionally of one currency")
    public Map<String, List<RateView>> list(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("currency") String currency) {
        ReportPeriod period = ReportPeriod.of(from, to, 3660);
        if (currency != null && Money.currency(currency).isEmpty()) {
            throw ProblemException.invalidField("currency", "is not an ISO 4217 currency code");
        }
        return Map.of("items", rates.list(tenant.tenantId(), period.from(), period.to(), currency).stream()
                .map(r -> new RateView(r.day(), r.base(), r.quote(), r.rate(), r.source())).toList());
    }
}
