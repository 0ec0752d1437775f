package io.throughline.attribution.processing;

import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.throughline.attribution.client.AdPlatforms;
import io.throughline.attribution.client.IdentityCalls;
import io.throughline.attribution.client.TouchpointCalls;
import io.throughline.attribution.domain.audiences.AudiencePlatform;
import io.throughline.attribution.domain.audiences.OfflineConversion;
import io.throughline.attribution.domain.deals.DealSnapshot;
import io.throughline.attribution.store.AdConnections;
import io.throughline.attribution.store.Deals;
import io.throughline.commons.phone.PhoneCheck;
import io.throughline.contracts.identity.v1.IdentifierType;
import io.throughline.contracts.identity.v1.ResolveResponse;
import io.throughline.contracts.identity.v1.ResolvedIdentifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Sends paid deals back to the ad platforms that delivered the click, each once: every connection with conversions on
 * queues the deals paid since it was set up (read in the deals' change order); for each queued deal the person's
 * sessions (their visitor ids from identity-service, their sessions from tracking-service) give the platform's latest
 * click before the first payment, within 90 days (Google: gclid, gbraid, wbraid; Yandex: yclid, else the Metrica
 * ClientID the CRM sent; Meta: fbclid when there is one, the hashed e-mails and phones always). The value is the money
 * received (payments less refunds) at the time of sending; a deal refunded in full is not sent. A deal without a click
 * the platform can use is marked no_click; a refusal is kept with the platform's reason; transient failures retry with
 * backoff.
 */
@ApplicationScoped
public class ConversionOutbox {

    private static final Logger LOG = Logger.getLogger(ConversionOutbox.class);
    static final int LOOKBACK_DAYS = 90;
    private static final int MAX_ATTEMPTS = 12;

    private final AdConnections connections;
    private final AdTargets targets;
    private final AdPlatforms platforms;
    private final IdentityCalls identity;
    private final TouchpointCalls touchpoints;
    private final MeterRegistry metrics;

    public ConversionOutbox(AdConnections connections, AdTargets targets, AdPlatforms platforms, IdentityCalls identity, TouchpointCalls touchpoints,
            MeterRegistry metrics) {
        this.connections = connections;
        this.targets = targets;
        this.platforms = platforms;
        this.identity = identity;
        this.touchpoints = touchpoints;
        this.metrics = metrics;
    }

    @Scheduled(every = "${throughline.attribution.conversions-interval:30s}", delayed = "20s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void everyRound() {
        try {
            round(Instant.now().minusSeconds(5));
        } catch (RuntimeException e) {
            LOG.error("conversions: the round failed", e);
        }
    }

    /** Queues deals changed up to {@code until}, then sends what is due; returns how many were settled. */
    public synchronized int round(Instant until) {
        connections.enqueue(until);
        int settled = 0;
        for (AdConnections.Conversion v : connections.dueConversions(Instant.now(), 100)) {
            if (send(v)) {
                settled++;
            }
        }
        return settled;
    }

    private boolean send(AdConnections.Conversion v) {
        Instant now = Instant.now();
        Optional<AdConnections.Connection> connection = connections.byId(v.connectionId());
        Optional<AdConnections.DealForConversion> deal = connections.dealForConversion(v.dealId());
        if (connection.isEmpty() || deal.isEmpty()) {
            return false;
        }
        AudiencePlatform platform = AudiencePlatform.of(connection.get().platform()).orElseThrow();
        AdConnections.DealForConversion d = deal.get();
        if (d.netPaidMinor() <= 0 || d.firstPaidAt() == null) {
            connections.conversionDone(v, "refunded", null, null, d.netPaidMinor(), d.currency(), d.firstPaidAt(), null, now);
            return true;
        }
        DealSnapshot.Contact contact = Deals.contact(d.contactJson());
        try {
            Set<String> visitors = new LinkedHashSet<>();
            if (contact.visitorId() != null && !contact.visitorId().isBlank()) {
                visitors.add(contact.visitorId());
            }
            var ids = IdentityCalls.identifiers(contact);
            if (!ids.isEmpty()) {
                ResolveResponse r = identity.resolve(v.tenantId(), ids);
                for (ResolvedIdentifier i : r.getIdentifiersList()) {
                    if (i.getType() == IdentifierType.IDENTIFIER_TYPE_VISITOR_ID && !i.getValue().isBlank()) {
                        visitors.add(i.getValue());
                    }
                }
            }
            List<OfflineConversion.Click> clicks = visitors.isEmpty() ? List.of()
                    : touchpoints.clicks(v.tenantId(), List.copyOf(visitors), d.firstPaidAt().minusSeconds(LOOKBACK_DAYS * 86_400L), d.firstPaidAt());
            Optional<Map.Entry<String, OfflineConversion.Click>> click = OfflineConversion.lastClick(platform, clicks, d.firstPaidAt(), LOOKBACK_DAYS);
            String param = click.map(Map.Entry::getKey).orElse(null);
            String clickId = click.map(c -> c.getValue().clickIds().get(c.getKey())).orElse(null);
            Instant clickedAt = click.map(c -> c.getValue().at()).orElse(null);
            if (click.isEmpty() && platform == AudiencePlatform.YANDEX && contact.ymClientId() != null && !contact.ymClientId().isBlank()) {
                param = "client_id";
                clickId = contact.ymClientId();
            }
            if (clickId == null && !OfflineConversion.matchesWithoutClick(platform)) {
                connections.conversionDone(v, "no_click", null, null, d.netPaidMinor(), d.currency(), d.firstPaidAt(), null, now);
                metrics.counter("throughline_offline_conversions_total", "platform", platform.code(), "outcome", "no_click").increment();
                return true;
            }
            List<String> emails = contact.emails().stream().map(e -> e.strip().toLowerCase(java.util.Locale.ROOT)).map(platform::email)
                    .flatMap(Optional::stream).map(AudiencePlatform::sha256).distinct().toList();
            List<String> phones = new ArrayList<>();
            for (String p : contact.phones()) {
                PhoneCheck.Result e164 = PhoneCheck.check(p, "RU");
                if (e164.valid()) {
                    platform.phone(e164.e164()).map(AudiencePlatform::sha256).filter(h -> !phones.contains(h)).ifPresent(phones::add);
                }
            }
            int digits = Math.max(0, Currency.getInstance(d.currency()).getDefaultFractionDigits());
            OfflineConversion conversion = new OfflineConversion(d.id(), param, clickId, clickedAt, d.netPaidMinor(), digits, d.currency(), d.firstPaidAt(),
                    emails, phones);
            platforms.conversion(targets.open(connection.get()), conversion);
            connections.conversionDone(v, "sent", param, clickId, d.netPaidMinor(), d.currency(), d.firstPaidAt(), null, Instant.now());
            metrics.counter("throughline_offline_conversions_total", "platform", platform.code(), "outcome", "sent").increment();
            return true;
        } catch (AdPlatforms.Refused e) {
            connections.conversionDone(v, "refused", null, null, d.netPaidMinor(), d.currency(), d.firstPaidAt(), e.getMessage(), now);
            metrics.counter("throughline_offline_conversions_total", "platform", platform.code(), "outcome", "refused").increment();
            return true;
        } catch (AdPlatforms.Transient | StatusRuntimeException e) {
            if (v.attempts() + 1 >= MAX_ATTEMPTS) {
                connections.conversionDone(v, "refused", null, null, d.netPaidMinor(), d.currency(), d.firstPaidAt(),
                        "gave up after " + MAX_ATTEMPTS + " attempts: " + e.getMessage(), now);
                return true;
            }
            connections.conversionRetry(v, e.getMessage(), AdTargets.backoff(v.attempts(), now));
            return false;
        }
    }
}
