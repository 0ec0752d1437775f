package io.throughline.calltracking.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.throughline.calltracking.client.TrackingSites;
import io.throughline.calltracking.config.CallTrackingConfig;
import io.throughline.calltracking.domain.OverflowPolicy;
import io.throughline.calltracking.domain.PhoneDisplay;
import io.throughline.calltracking.domain.TrackedSite;
import io.throughline.calltracking.store.Leases;
import io.throughline.calltracking.store.Numbers;
import io.throughline.calltracking.store.PoolSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which number a page shows: a static number whose source matches the visit's campaign wins; otherwise the
 * visitor's own pool number (the same one again within the hold, extended by each heartbeat); when the pool is
 * full, the pool's overflow policy decides. Site, pool and static-number settings are cached briefly.
 */
@ApplicationScoped
public class DniService {

    /** Elements that sites already mark for other call-tracking tools; the snippet always looks at them. */
    static final List<String> MARKER_SELECTORS = List.of(".roistat-phone", ".call_phone_1", ".comagic_phone", ".ct-phone", "[data-tl-phone]");

    private final TrackingSites trackingSites;
    private final PoolSettings poolSettings;
    private final Numbers numbers;
    private final Leases leases;
    private final CallTrackingConfig.Dni config;
    private final MeterRegistry metrics;
    private final Cache<String, Optional<TrackedSite>> sites;
    private final Cache<String, List<PoolSettings.Pool>> pools;
    private final Cache<String, List<Numbers.Number>> statics;

    public DniService(TrackingSites trackingSites, PoolSettings poolSettings, Numbers numbers, Leases leases, CallTrackingConfig config,
            MeterRegistry metrics) {
        this.trackingSites = trackingSites;
        this.poolSettings = poolSettings;
        this.numbers = numbers;
        this.leases = leases;
        this.config = config.dni();
        this.metrics = metrics;
        Duration ttl = this.config.settingsTtl();
        this.sites = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(ttl).build();
        this.pools = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(ttl).build();
        this.statics = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(ttl).build();
    }

    /** The site behind a public key (tracking-service's answer, cached); empty when there is none. */
    public Optional<TrackedSite> site(String publicKey) {
        return sites.get(publicKey, k -> trackingSites.byPublicKey(k).await().atMost(Duration.ofSeconds(5)));
    }

    public DniAnswer assign(TrackedSite site, DniRequest request) {
        Map<String, String> campaign = lower(request.campaign());
        List<PoolSettings.Pool> sitePools = pools.get(site.publicKey(), poolSettings::ofSite);
        List<String> replace = new ArrayList<>();
        List<String> selectors = new ArrayList<>(MARKER_SELECTORS);
        sitePools.forEach(p -> {
            replace.addAll(p.replaceNumbers());
            selectors.addAll(p.selectors());
        });
        List<String> distinctReplace = replace.stream().distinct().toList();
        List<String> distinctSelectors = selectors.stream().distinct().toList();
        String mask = sitePools.isEmpty() ? null : sitePools.get(0).displayMask();

        Optional<Numbers.Number> fixed = staticFor(site.publicKey(), campaign);
        if (fixed.isPresent()) {
            return count(answer("static", fixed.get().e164(), mask, null, false, false, distinctReplace, distinctSelectors, null));
        }
        Optional<PoolSettings.Pool> pool = sitePools.stream()
                .filter(p -> request.poolId() == null || p.id().toString().equals(request.poolId())).findFirst();
        if (pool.isEmpty()) {
            return count(answer("none", null, null, null, false, false, distinctReplace, distinctSelectors, null));
        }
        PoolSettings.Pool p = pool.get();
        Leases.Grant grant = leases.lease(new Leases.Visit(site.tenantId(), p.id(), site.publicKey(), request.visitorId(), request.sessionId(),
                request.page(), request.referrer(), campaign, request.clickIds()), p.holdSeconds(), p.overflow() == OverflowPolicy.REUSE_LEAST_RECENT);
        int heartbeat = Math.min(config.heartbeatSeconds(), Math.max(10, p.holdSeconds() / 3));
        if (grant.e164() != null) {
            return count(answer("pool", grant.e164(), p.displayMask(), grant.holdUntil(), grant.overflow(), grant.ambiguous(), distinctReplace,
                    distinctSelectors, heartbeat));
        }
        // Full under default_number: the site's default number, or none (the page keeps what it shows).
        return count(answer(p.defaultNumber() == null ? "none" : "default", p.defaultNumber(), p.displayMask(), null, true, false,
                distinctReplace, distinctSelectors, heartbeat));
    }

    /** The most specific static number whose source (and medium, campaign when set) matches the visit. */
    private Optional<Numbers.Number> staticFor(String siteKey, Map<String, String> campaign) {
        String source = campaign.get("source");
        if (source == null) {
            return Optional.empty();
        }
        return statics.get(siteKey, numbers::staticOf).stream()
                .filter(n -> source.equals(n.matchSource()))
                .filter(n -> n.matchMedium() == null || n.matchMedium().equals(campaign.get("medium")))
                .filter(n -> n.matchCampaign() == null || n.matchCampaign().equals(campaign.get("campaign")))
                .max(Comparator.comparingInt(n -> (n.matchMedium() == null ? 0 : 1) + (n.matchCampaign() == null ? 0 : 2)));
    }

    private DniAnswer count(DniAnswer answer) {
        metrics.counter("throughline_dni_answers_total", "kind", answer.kind(), "overflow", String.valueOf(answer.overflow())).increment();
        return answer;
    }

    private static DniAnswer answer(String kind, String e164, String mask, java.time.Instant holdUntil, boolean overflow, boolean ambiguous,
            List<String> replace, List<String> selectors, Integer heartbeat) {
        return new DniAnswer(kind, e164, e164 == null ? null : PhoneDisplay.format(e164, mask), e164 == null ? null : "tel:" + e164, holdUntil,
                overflow, ambiguous, replace, selectors, heartbeat);
    }

    private static Map<String, String> lower(Map<String, String> campaign) {
        if (campaign == null) {
            return Map.of();
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        campaign.forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                out.put(k, k.equals("source") || k.equals("medium") ? v.strip().toLowerCase(Locale.ROOT) : v.strip());
            }
        });
        out.values().removeIf(Objects::isNull);
        return out;
    }
}
