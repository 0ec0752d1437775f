package io.throughline.tracking.api;

import io.throughline.tracking.domain.Site;
import java.util.List;

/** What t.js learns about its site before it sends anything: whether to wait for consent, which domains to link. */
public record SnippetSettings(boolean consentRequired, List<String> domains, int sessionTimeoutMinutes) {

    static SnippetSettings of(Site site) {
        return new SnippetSettings(site.consentRequired(), site.domains(), site.sessionTimeoutMinutes());
    }
}
