package io.throughline.calltracking.domain;

import java.util.List;

/** What calltracking needs to know of a site that tracking-service owns: its workspace, phone region and domains. */
public record TrackedSite(String publicKey, String tenantId, String defaultPhoneRegion, List<String> domains) {

    public TrackedSite {
        domains = domains == null ? List.of() : List.copyOf(domains);
    }

    /** True when a browser page on this origin belongs to the site (its domains and their subdomains). */
    public boolean ownsOrigin(String origin) {
        if (origin == null) {
            return false;
        }
        String host = origin.replaceFirst("^[a-zA-Z]+://", "").replaceFirst("[:/].*$", "").toLowerCase(java.util.Locale.ROOT);
        for (String domain : domains) {
            if (host.equals(domain) || host.endsWith("." + domain)) {
                return true;
            }
        }
        return false;
    }
}
