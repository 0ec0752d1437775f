package io.throughline.tracking.api;

import io.throughline.tracking.domain.Site;
import java.time.Instant;
import java.util.List;

/** A site as the API shows it, with the snippet to paste into its pages. */
public record SiteView(String id, String publicKey, String name, List<String> domains, String defaultPhoneRegion,
        boolean consentRequired, int sessionTimeoutMinutes, int minFormFillMs, Instant createdAt, String snippet) {

    static SiteView of(Site site, String publicBaseUrl) {
        String consent = site.consentRequired() ? " data-consent=\"required\"" : "";
        String snippet = "<script async src=\"" + publicBaseUrl + "/t.js\" data-site=\"" + site.publicKey() + "\"" + consent + "></script>";
        return new SiteView(site.id().toString(), site.publicKey(), site.name(), site.domains(), site.defaultPhoneRegion(),
                site.consentRequired(), site.sessionTimeoutMinutes(), site.minFormFillMs(), site.createdAt(), snippet);
    }
}
