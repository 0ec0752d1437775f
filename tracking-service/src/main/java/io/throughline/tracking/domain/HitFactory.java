package io.throughline.tracking.domain;

import io.throughline.commons.phone.PhoneCheck;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns a validated batch into hits: parses each page view's traffic source and channel, classifies the
 * device, and scores what can be scored without history (crawler and headless user agents, the JS proof,
 * honeypots, forms filled too fast, disposable or invalid e-mails, invalid or placeholder phones).
 */
public final class HitFactory {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+");

    private final Function<String, UserAgentFacts> userAgents;
    private final DisposableEmailDomains disposable;

    /** {@code userAgents} tells what a user agent is (callers cache it: every batch asks). */
    public HitFactory(Function<String, UserAgentFacts> userAgents, DisposableEmailDomains disposable) {
        this.userAgents = userAgents;
        this.disposable = disposable;
    }

    /**
     * What the request itself tells: the browser, the client's network (truncated), when it arrived, and whether it
     * is an authenticated server-side import (which carries no snippet proof: its sender signed in instead).
     */
    public record RequestFacts(String userAgent, String ipPrefix, Instant receivedAt, boolean imported) {
        public RequestFacts(String userAgent, String ipPrefix, Instant receivedAt) {
            this(userAgent, ipPrefix, receivedAt, false);
        }
    }

    public List<Hit> hits(Site site, CollectedBatch batch, RequestFacts request, TrafficSources sources) {
        UserAgentFacts ua = userAgents.apply(request.userAgent() == null ? "" : request.userAgent());
        Set<JunkReason> batchReasons = EnumSet.noneOf(JunkReason.class);
        if (ua.crawler()) {
            batchReasons.add(JunkReason.CRAWLER_USER_AGENT);
        }
        if (ua.headless() || (batch.client() != null && batch.client().webdriver())) {
            batchReasons.add(JunkReason.HEADLESS_MARKER);
        }
        if (!request.imported() && (batch.client() == null || batch.client().proof() == null
                || !batch.client().proof().equals(JsProof.of(batch.siteKey(), batch.visitorId(), batch.sentAtRaw())))) {
            batchReasons.add(JunkReason.MISSING_JS_PROOF);
        }
        String device = ua.deviceClass();
        String userAgent = request.userAgent() == null ? null : TrafficSources.cut(request.userAgent());
        List<Hit> out = new ArrayList<>(batch.events().size());
        for (CollectedBatch.Event e : batch.events()) {
            Set<JunkReason> reasons = EnumSet.copyOf(batchReasons);
            PageUrl page = e.page() != null ? e.page() : e.url() == null ? null : PageUrl.parse(e.url()).orElse(null);
            TrafficSource source = e.type() == EventType.PAGEVIEW && page != null ? sources.analyze(page, e.referrer(), site.domains()) : null;
            Hit.Lead lead = null;
            CollectedBatch.Contacts contacts = e.contacts();
            if (e.type().carriesContacts() && contacts != null) {
                if (e.honeypot()) {
                    reasons.add(JunkReason.HONEYPOT_FILLED);
                }
                if (e.fillMs() != null && e.fillMs() < site.minFormFillMs()) {
                    reasons.add(JunkReason.FORM_TOO_FAST);
                }
                PhoneCheck.Result phone = contacts.phone() == null ? null : PhoneCheck.check(contacts.phone(), site.defaultPhoneRegion());
                reasons.addAll(contactReasons(contacts, phone));
                lead = new Hit.Lead(e.form(), ContactMasks.email(contacts.email()),
                        ContactMasks.phone(phone != null && phone.valid() ? phone.e164() : contacts.phone()), contacts.name() != null, e.fillMs());
            }
            out.add(new Hit(e.eventId(), site.tenantId(), site.id().toString(), batch.visitorId(), e.type(), e.occurredAt(),
                    request.receivedAt(), UrlRedaction.redact(e.url()), page == null ? null : page.path(), e.title(),
                    UrlRedaction.redact(e.referrer()), source, device, userAgent,
                    request.ipPrefix(), batch.gaCookie(), batch.ymUid(), lead, contacts, e.name(), e.props(), List.copyOf(reasons)));
        }
        return out;
    }

    private Set<JunkReason> contactReasons(CollectedBatch.Contacts contacts, PhoneCheck.Result phone) {
        Set<JunkReason> reasons = EnumSet.noneOf(JunkReason.class);
        if (contacts.email() != null) {
            if (!EMAIL.matcher(contacts.email()).matches()) {
                reasons.add(JunkReason.INVALID_EMAIL);
            } else if (disposable.isDisposable(contacts.email())) {
                reasons.add(JunkReason.DISPOSABLE_EMAIL);
            }
        }
        if (phone != null) {
            if (!phone.valid()) {
                reasons.add(phone.problem() == PhoneCheck.Problem.PLACEHOLDER ? JunkReason.PLACEHOLDER_PHONE : JunkReason.INVALID_PHONE);
            }
        }
        return reasons;
    }
}
