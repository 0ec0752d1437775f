package io.throughline.reporting.api;

import io.throughline.commons.api.FieldError;
import io.throughline.commons.api.ProblemException;
import io.throughline.commons.money.Money;
import io.throughline.commons.tenant.TenantContext;
import io.throughline.reporting.domain.ReportSettings;
import io.throughline.reporting.domain.metrics.Overheads;
import io.throughline.reporting.domain.spend.Platforms;
import io.throughline.reporting.processing.Rebuilds;
import io.throughline.reporting.store.SettingsStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/reporting/settings")
@Tag(name = "Settings", description = "Currency, zone, overhead allocation, the naive view, LTV, platform mappings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SettingsResource {

    private final SettingsStore store;
    private final TenantContext tenant;
    private final Rebuilds rebuilds;

    public SettingsResource(SettingsStore store, TenantContext tenant, Rebuilds rebuilds) {
        this.store = store;
        this.tenant = tenant;
        this.rebuilds = rebuilds;
    }

    @GET
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "The workspace's report settings (defaults until set)")
    public SettingsView get() {
        return SettingsView.of(store.get(tenant.tenantId()));
    }

    @PUT
    @RolesAllowed("admin")
    @Operation(summary = "Replace the report settings; a new zone rebuilds every daily aggregate in the background")
    @APIResponse(responseCode = "200", description = "Stored")
    @APIResponse(responseCode = "400", description = "A field is invalid (named in errors)")
    public SettingsView put(@Valid @NotNull SettingsRequest r) {
        ReportSettings d = ReportSettings.defaults();
        List<FieldError> errors = new ArrayList<>();
        String currency = r.currency() == null ? d.currency() : r.currency();
        Optional<Currency> cur = Money.currency(currency);
        if (cur.isEmpty()) {
            errors.add(new FieldError("currency", "is not an ISO 4217 currency code"));
        }
        ZoneId zone = d.zone();
        if (r.timeZone() != null) {
            try {
                zone = ZoneId.of(r.timeZone());
            } catch (DateTimeException e) {
                errors.add(new FieldError("time_zone", "is not an IANA time zone such as Europe/Moscow"));
            }
        }
        Overheads.Rule rule = r.overheadRule() == null ? d.overheadRule() : Overheads.Rule.fromCode(r.overheadRule()).orElse(null);
        if (rule == null) {
            errors.add(new FieldError("overhead_rule", "must be spend_share, lead_share, paid_deal_share or fixed_shares"));
        }
        Map<String, BigDecimal> shares = r.fixedShares() == null ? Map.of() : r.fixedShares();
        BigDecimal sum = BigDecimal.ZERO;
        for (Map.Entry<String, BigDecimal> e : shares.entrySet()) {
            if (e.getValue() == null || e.getValue().signum() < 0 || e.getValue().compareTo(BigDecimal.valueOf(100)) > 0) {
                errors.add(new FieldError("fixed_shares." + e.getKey(), "must be a percent between 0 and 100"));
            } else {
                sum = sum.add(e.getValue());
            }
        }
        if (sum.compareTo(BigDecimal.valueOf(100)) > 0) {
            errors.add(new FieldError("fixed_shares", "must add up to at most 100 (the rest stays unallocated)"));
        }
        if (rule == Overheads.Rule.FIXED_SHARES && shares.isEmpty()) {
            errors.add(new FieldError("fixed_shares", "is required with overhead_rule fixed_shares"));
        }
        ReportSettings.NaiveValuation valuation = d.naiveValuation();
        BigDecimal conversion = d.naiveConversionPct();
        long check = d.naiveCheckMinor();
        if (r.naive() != null) {
            if (r.naive().valuation() != null) {
                valuation = switch (r.naive().valuation()) {
                    case "expected_check" -> ReportSettings.NaiveValuation.EXPECTED_CHECK;
                    case "deal_amount" -> ReportSettings.NaiveValuation.DEAL_AMOUNT;
                    default -> {
                        errors.add(new FieldError("naive.valuation", "must be expected_check or deal_amount"));
                        yield d.naiveValuation();
                    }
                };
            }
            if (r.naive().expectedConversionPct() != null) {
                conversion = r.naive().expectedConversionPct();
                if (conversion.signum() < 0 || conversion.compareTo(BigDecimal.valueOf(100)) > 0) {
                    errors.add(new FieldError("naive.expected_conversion_pct", "must be a percent between 0 and 100"));
                }
            }
            if (r.naive().expectedCheck() != null && cur.isPresent()) {
                Optional<Money> m = r.naive().expectedCheck().signum() < 0 ? Optional.empty() : Money.ofMajor(r.naive().expectedCheck(), cur.get());
                if (m.isEmpty()) {
                    errors.add(new FieldError("naive.expected_check", "must be >= 0 with at most the currency's fraction digits"));
                } else {
                    check = m.get().amountMinor();
                }
            }
            if (valuation == ReportSettings.NaiveValuation.EXPECTED_CHECK && (r.naive().expectedCheck() == null || r.naive().expectedConversionPct() == null)) {
                errors.add(new FieldError("naive", "expected_check valuation needs expected_conversion_pct and expected_check"));
            }
        }
        String lastClick = r.lastClickModel() == null ? d.lastClickModel() : r.lastClickModel().strip();
        if (lastClick.isEmpty() || lastClick.length() > 100) {
            errors.add(new FieldError("last_click_model", "must name a model (series), such as last_non_direct"));
        }
        int horizon = r.ltvHorizonMonths() == null ? d.ltvHorizonMonths() : r.ltvHorizonMonths();
        if (horizon < 1 || horizon > 60) {
            errors.add(new FieldError("ltv_horizon_months", "must be between 1 and 60"));
        }
        BigDecimal lifetime = r.expectedLifetimeYears() == null ? d.lifetimeYears() : r.expectedLifetimeYears();
        if (lifetime.signum() <= 0 || lifetime.compareTo(BigDecimal.valueOf(50)) > 0 || lifetime.scale() > 2) {
            errors.add(new FieldError("expected_lifetime_years", "must be above 0 and at most 50, with at most two decimals"));
        }
        int maxAge = r.rateMaxAgeDays() == null ? d.rateMaxAgeDays() : r.rateMaxAgeDays();
        if (maxAge < 0 || maxAge > 31) {
            errors.add(new FieldError("rate_max_age_days", "must be between 0 and 31"));
        }
        String locale = r.locale() == null ? d.locale() : r.locale().strip();
        if (!ReportSettings.LOCALES.contains(locale)) {
            errors.add(new FieldError("locale", "must be one of " + String.join(", ", ReportSettings.LOCALES)));
        }
        Map<String, Platforms.Mapping> mappings = new LinkedHashMap<>();
        if (r.platforms() != null) {
            for (Map.Entry<String, SettingsRequest.Platform> e : r.platforms().entrySet()) {
                String field = "platforms." + e.getKey();
                SettingsRequest.Platform p = e.getValue();
                if (!Platforms.validCode(e.getKey())) {
                    errors.add(new FieldError(field, "is not a platform code (lower case letters, digits, _)"));
                } else if (p == null || blank(p.source()) || blank(p.medium()) || blank(p.channel())) {
                    errors.add(new FieldError(field, "needs source, medium and channel"));
                } else if (p.campaignKey() != null && !p.campaignKey().equals("name") && !p.campaignKey().equals("id")) {
                    errors.add(new FieldError(field + ".campaign_key", "must be name or id"));
                } else if (Platforms.defaults().of(e.getKey()).equals(mapping(p))) {
                    continue;
                } else {
                    mappings.put(e.getKey(), mapping(p));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest(errors.size() + " setting(s) are invalid", errors.toArray(FieldError[]::new));
        }
        ReportSettings s = new ReportSettings(currency, zone, rule, Map.copyOf(shares), valuation, conversion, check, lastClick, horizon, lifetime, maxAge,
                new Platforms(mappings), locale);
        String tenantId = tenant.tenantId();
        if (store.put(tenantId, s)) {
            rebuilds.zoneChanged(tenantId);
        }
        return SettingsView.of(store.get(tenantId));
    }

    private static Platforms.Mapping mapping(SettingsRequest.Platform p) {
        return new Platforms.Mapping(p.source().strip().toLowerCase(java.util.Locale.ROOT), p.medium().strip().toLowerCase(java.util.Locale.ROOT),
                p.channel().strip(), "id".equals(p.campaignKey()));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank() || s.length() > 100;
    }
}
