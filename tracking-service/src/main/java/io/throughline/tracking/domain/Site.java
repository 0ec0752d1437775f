package io.throughline.tracking.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A website of a workspace that embeds t.js with its public key, with what the collector needs to know of
 * it: its domains (CORS, internal referrers, cross-domain links), the region phones are read in, whether it
 * needs consent first, its session timeout and how fast a person can fill a form.
 */
public record Site(UUID id, String tenantId, String publicKey, String name, List<String> domains,
        String defaultPhoneRegion, boolean consentRequired, Instant createdAt, int sessionTimeoutMinutes, int minFormFillMs) {

    public static final int DEFAULT_SESSION_TIMEOUT_MINUTES = 30;
    public static final int DEFAULT_MIN_FORM_FILL_MS = 3000;

    /** True when a browser page on this origin ("https://shop.ru", "http://localhost:3000") belongs to the site. */
    public boolean ownsOrigin(String origin) {
        String host = PageUrl.hostOf(origin);
        return host != null && ownsHost(host);
    }

    public boolean ownsHost(String host) {
        for (String domain : domains) {
            if (PageUrl.isWithin(host, domain)) {
                return true;
            }
        }
        return false;
    }
}
