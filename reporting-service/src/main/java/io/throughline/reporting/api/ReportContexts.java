package io.throughline.reporting.api;

import io.throughline.commons.api.ProblemException;
import io.throughline.commons.tenant.TenantContext;
import io.throughline.reporting.domain.ReportSettings;
import io.throughline.reporting.store.FeedStore;
import io.throughline.reporting.store.RateStore;
import io.throughline.reporting.store.ReportQueries;
import io.throughline.reporting.store.SettingsStore;
import io.throughline.reporting.store.SiteStore;
import jakarta.enterprise.context.RequestScoped;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a report's context from its query parameters, checking each and naming the one that is wrong. */
@RequestScoped
class ReportContexts {

    static final int MAX_DAYS = 731;
    static final int MAX_VALUES = 100;

    private final TenantContext tenant;
    private final SettingsStore settings;
    private final FeedStore feeds;
    private final RateStore rates;
    private final SiteStore sites;

    ReportContexts(TenantContext tenant, SettingsStore settings, FeedStore feeds, RateStore rates, SiteStore sites) {
        this.tenant = tenant;
        this.settings = settings;
        this.feeds = feeds;
        this.rates = rates;
        this.sites = sites;
    }

    /** The parameters every report takes. */
    record Params(String from, String to, String tz, String site, String channel, String source, String medium, String campaign, String keyword,
            String groupBy, String model) {
    }

    ReportContext of(Params p, String defaultGroupBy, LocalDate ratesFrom) {
        return of(p, defaultGroupBy, ratesFrom, false);
    }

    /** {@code timeKeys}: group_by may hold one of {@link ReportQueries#TIME_KEYS} (trends). */
    ReportContext of(Params p, String defaultGroupBy, LocalDate ratesFrom, boolean timeKeys) {
        String tenantId = tenant.tenantId();
        ReportSettings s = settings.get(tenantId);
        ReportPeriod period = ReportPeriod.of(p.from(), p.to(), MAX_DAYS);
        if (p.tz() != null && !p.tz().isBlank() && !p.tz().equals(s.zone().getId())) {
            throw ProblemException.invalidField("tz", "must be the workspace's zone " + s.zone().getId()
                    + " (reports are cut by day in it; change it in the settings, which rebuilds them)");
        }
        List<String> groupBy = groupBy(p.groupBy() == null || p.groupBy().isBlank() ? defaultGroupBy : p.groupBy(), timeKeys);
        Map<String, List<String>> filters = new LinkedHashMap<>();
        put(filters, "channel", p.channel());
        put(filters, "source", p.source());
        put(filters, "medium", p.medium());
        put(filters, "campaign", p.campaign());
        put(filters, "keyword", p.keyword());
        String site = null;
        if (p.site() != null && !p.site().isBlank()) {
            if (p.site().length() > 100) {
                throw ProblemException.invalidField("site", "is not a site id or public key");
            }
            site = sites.keyOf(tenantId, p.site().strip()).orElse(p.site().strip());
        }
        List<FeedStore.SeriesState> models = feeds.series(tenantId);
        FeedStore.SeriesState model = ReportContext.series(models, p.model());
        LocalDate earliest = ratesFrom == null || ratesFrom.isAfter(period.from()) ? period.from() : ratesFrom;
        return new ReportContext(tenantId, s, period, filters, site, groupBy, model, models, rates.load(tenantId, earliest, LocalDate.now(s.zone()),
                s.rateMaxAgeDays()));
    }

    static List<String> groupBy(String value) {
        return groupBy(value, false);
    }

    static List<String> groupBy(String value, boolean timeKeys) {
        List<String> out = new ArrayList<>();
        for (String k : value.split(",")) {
            String key = k.strip();
            if (!ReportQueries.KEYS.contains(key) && !(timeKeys && ReportQueries.TIME_KEYS.contains(key))) {
                throw ProblemException.invalidField("group_by", "must list keys of " + String.join(", ", ReportQueries.KEYS) + " (found \"" + key + "\")");
            }
            if (!out.contains(key)) {
                out.add(key);
            }
        }
        return out;
    }

    private static void put(Map<String, List<String>> filters, String key, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        List<String> values = Arrays.stream(value.split(",")).map(String::strip).filter(v -> !v.isEmpty()).toList();
        if (values.size() > MAX_VALUES || values.stream().anyMatch(v -> v.length() > 300)) {
            throw ProblemException.invalidField(key, "takes at most " + MAX_VALUES + " comma-separated values of up to 300 characters");
        }
        filters.put(key, values);
    }
}
