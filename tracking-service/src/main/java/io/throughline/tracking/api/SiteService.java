package io.throughline.tracking.api;

import io.throughline.commons.api.FieldError;
import io.throughline.commons.api.ProblemException;
import io.throughline.commons.id.Ids;
import io.throughline.tracking.config.TrackingConfig;
import io.throughline.tracking.domain.Site;
import io.throughline.tracking.domain.SiteRules;
import io.throughline.tracking.store.SiteDirectory;
import io.throughline.tracking.store.SiteStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Registers sites: validates domains and regions, issues a unique public key. */
@ApplicationScoped
public class SiteService {

    private static final int KEY_ATTEMPTS = 5;

    private final SiteStore store;
    private final TrackingConfig config;
    private final SiteDirectory sites;

    public SiteService(SiteStore store, TrackingConfig config, SiteDirectory sites) {
        this.store = store;
        this.config = config;
        this.sites = sites;
    }

    public Site register(String tenantId, SiteRequest request) {
        validate(request);
        if (store.count(tenantId) >= config.maxSitesPerTenant()) {
            throw ProblemException.conflict("This workspace already has " + config.maxSitesPerTenant() + " sites");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int attempt = 0; attempt < KEY_ATTEMPTS; attempt++) {
            Site site = apply(new Site(Ids.newId(), tenantId, SiteRules.newPublicKey(), null, List.of(), null, false, now,
                    Site.DEFAULT_SESSION_TIMEOUT_MINUTES, Site.DEFAULT_MIN_FORM_FILL_MS), request);
            if (store.insert(site)) {
                sites.invalidate(site.publicKey());
                return site;
            }
        }
        throw new IllegalStateException("Could not draw a unique public key in " + KEY_ATTEMPTS + " attempts");
    }

    /** Changes a site's settings; its id and public key stay, so embedded snippets keep working. */
    public Site update(String tenantId, java.util.UUID id, SiteRequest request) {
        validate(request);
        Site current = store.find(tenantId, id).orElseThrow(() -> ProblemException.notFound("Site " + id));
        Site updated = apply(current, request);
        store.replace(updated);
        sites.invalidate(updated.publicKey());
        return updated;
    }

    private static Site apply(Site site, SiteRequest request) {
        return new Site(site.id(), site.tenantId(), site.publicKey(), request.name().strip(), SiteRules.normalizeDomains(request.domains()),
                request.defaultPhoneRegion(), request.consentRequired(), site.createdAt(),
                request.sessionTimeoutMinutes() == null ? site.sessionTimeoutMinutes() : request.sessionTimeoutMinutes(),
                request.minFormFillMs() == null ? site.minFormFillMs() : request.minFormFillMs());
    }

    private static void validate(SiteRequest request) {
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < request.domains().size(); i++) {
            if (SiteRules.normalizeDomain(request.domains().get(i)).isEmpty()) {
                errors.add(new FieldError("domains[" + i + "]", "is not a host name"));
            }
        }
        if (!SiteRules.isRegion(request.defaultPhoneRegion())) {
            errors.add(new FieldError("default_phone_region", "is not an ISO 3166 region"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("The site has invalid fields", errors.toArray(FieldError[]::new));
        }
    }
}
