package io.throughline.reporting.processing;

import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.throughline.reporting.client.AttributionFeed;
import io.throughline.reporting.client.CallTrackingFeed;
import io.throughline.reporting.client.TrackingFeed;
import io.throughline.reporting.config.ReportingConfig;
import io.throughline.reporting.domain.facts.TrafficFact;
import io.throughline.reporting.store.FeedStore;
import io.throughline.reporting.store.MonthTwins;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Keeps reporting's aggregates up with the other services: attribution's series versions (credit totals as the change
 * since the version held; the default series' journeys), deals, form leads and calls in the order they changed, and
 * tracking's daily sessions (the last days recounted, all of history once, and the days of sessions stored late). Each feed goes on its own: one service
 * being down delays its figures, not the others'. A page is applied with its cursor in one transaction, so a crash or a
 * second instance never applies it twice.
 */
@ApplicationScoped
public class FeedSync {

    private static final Logger LOG = Logger.getLogger(FeedSync.class);
    static final String DEALS = "attribution.deals";
    static final String CONTACTS = "tracking.contacts";
    static final String CALLS = "calltracking.calls";
    static final String TRAFFIC = "tracking.traffic";
    static final String SESSIONS = "tracking.sessions";
    private static final int MONTHS_PER_ROUND = 2000;
    private static final ZoneId FALLBACK = ZoneId.of("Europe/Moscow");
    /** Every zone's day lies within [UTC day - 14 h, UTC day + 14 h]: the traffic window is widened by it. */
    private static final Duration ZONE_SPAN = Duration.ofHours(14);
    private static final Instant HISTORY = Instant.parse("2000-01-01T00:00:00Z");

    private final FeedStore store;
    private final AttributionFeed attribution;
    private final TrackingFeed tracking;
    private final CallTrackingFeed calltracking;
    private final ReportingConfig config;
    private final MeterRegistry metrics;
    private final MonthTwins twins;

    public FeedSync(FeedStore store, AttributionFeed attribution, TrackingFeed tracking, CallTrackingFeed calltracking, ReportingConfig config,
            MeterRegistry metrics, MonthTwins twins) {
        this.twins = twins;
        this.store = store;
        this.attribution = attribution;
        this.tracking = tracking;
        this.calltracking = calltracking;
        this.config = config;
        this.metrics = metrics;
    }

    @Scheduled(every = "${throughline.reporting.sync-interval}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        syncAll();
    }

    @Scheduled(every = "${throughline.reporting.traffic-interval}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledTraffic() {
        guarded(TRAFFIC, () -> refreshTraffic(null));
    }

    /** One round of every record feed, then the stale monthly twins recomputed (tests and the demo loader call it directly). */
    public synchronized void syncAll() {
        guarded("attribution.series", this::series);
        guarded(DEALS, this::deals);
        guarded(CONTACTS, this::contacts);
        guarded(CALLS, this::calls);
        guarded("months", this::compactMonths);
    }

    /** Recomputes stale monthly twins (spend imports and traffic mark them too), a bounded number per round. */
    void compactMonths() {
        int done = twins.compact(MONTHS_PER_ROUND);
        metrics.counter("throughline_reporting_months_compacted_total").increment(done);
    }

    void series() {
        for (FeedStore.SeriesVersion v : attribution.series()) {
            Optional<FeedStore.SeriesState> held = store.series(v.tenantId(), v.series());
            int heldVersion = held.map(FeedStore.SeriesState::version).orElse(0);
            if (heldVersion != v.version()) {
                AttributionFeed.Totals totals = attribution.totals(v.tenantId(), v.series(), heldVersion, store.zone(v.tenantId()).getId());
                FeedStore.SeriesVersion at = new FeedStore.SeriesVersion(v.tenantId(), v.series(), v.model(), totals.version(), v.runId(), v.isDefault(),
                        v.cutoff(), v.conversionEvent());
                store.applyCreditTotals(at, heldVersion, totals.full(), totals.rows());
                metrics.counter("throughline_reporting_feed_pages_total", "feed", "attribution.credits").increment();
            }
            if (v.isDefault()) {
                if (held.isEmpty() || !held.get().isDefault()) {
                    store.markDefault(v.tenantId(), v.series());
                }
                int journeys = store.series(v.tenantId(), v.series()).map(FeedStore.SeriesState::journeysVersion).orElse(0);
                if (journeys != v.version()) {
                    int[] expected = {journeys};
                    attribution.journeys(v.tenantId(), v.series(), journeys, chunk -> {
                        // Every chunk but the last leaves the read version where it was: a crash re-reads them, harmlessly.
                        store.applyJourneys(v.tenantId(), v.series(), expected[0], chunk.version(), chunk.journeys(), false);
                    });
                    store.applyJourneys(v.tenantId(), v.series(), journeys, v.version(), Map.of(), true);
                }
            }
        }
    }

    void deals() {
        String cursor = store.cursor(DEALS);
        while (true) {
            AttributionFeed.DealPage page = attribution.dealChanges(cursor, config.feedPage());
            if (page.size() == 0) {
                return;
            }
            store.applyDeals(DEALS, cursor, page.next(), page.byTenant());
            count(DEALS, page.size());
            cursor = page.next();
            if (page.size() < config.feedPage()) {
                return;
            }
        }
    }

    void contacts() {
        String cursor = store.cursor(CONTACTS);
        while (true) {
            TrackingFeed.ContactPage page = tracking.contactChanges(cursor, config.feedPage());
            if (page.size() == 0) {
                return;
            }
            page.sites().forEach(store::rememberSites);
            store.applyContacts(CONTACTS, cursor, page.next(), page.byTenant());
            count(CONTACTS, page.size());
            cursor = page.next();
            if (page.size() < config.feedPage()) {
                return;
            }
        }
    }

    void calls() {
        String cursor = store.cursor(CALLS);
        while (true) {
            CallTrackingFeed.CallPage page = calltracking.callChanges(cursor, config.feedPage());
            if (page.size() == 0) {
                return;
            }
            store.applyCalls(CALLS, cursor, page.next(), page.byTenant());
            count(CALLS, page.size());
            cursor = page.next();
            if (page.size() < config.feedPage()) {
                return;
            }
        }
    }

    /**
     * Recounts traffic: the last days (all of history the first time, or for one workspace after its zone changed), and for
     * each workspace with sessions stored or flagged before those days since the last round (an import of history, a late
     * bot verdict: tracking's session changes) every day from the earliest of them. Only days the window covers whole in a
     * workspace's zone are replaced. The session-change cursor moves only once the days it named are recounted.
     */
    public synchronized void refreshTraffic(String tenantId) {
        boolean first = tenantId == null && store.cursor(TRAFFIC).isEmpty();
        Instant now = Instant.now();
        Instant from = tenantId != null || first ? HISTORY
                : LocalDate.now(java.time.ZoneOffset.UTC).minusDays(config.trafficDays()).atStartOfDay(java.time.ZoneOffset.UTC).toInstant().minus(ZONE_SPAN);
        Instant to = now.plus(Duration.ofDays(1)).plus(ZONE_SPAN);
        LateSessions late = tenantId == null ? lateSessions(from) : null;
        recount(tenantId, from, to);
        if (late != null) {
            for (Map.Entry<String, Instant> tenant : late.earliest().entrySet()) {
                Instant day = tenant.getValue().atZone(java.time.ZoneOffset.UTC).toLocalDate().minusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
                recount(tenant.getKey(), day.minus(ZONE_SPAN), to);
            }
            if (late.next() != null) {
                store.advance(SESSIONS, late.next());
            }
        }
        if (tenantId == null) {
            store.advance(TRAFFIC, now.toString());
        }
    }

    /** What tracking's session changes since reporting's cursor name before {@code window}: per workspace the earliest start. */
    private record LateSessions(Map<String, Instant> earliest, String next) {
    }

    private LateSessions lateSessions(Instant window) {
        String cursor = store.cursor(SESSIONS);
        Map<String, Instant> earliest = new java.util.HashMap<>();
        for (int page = 0; page < 1000; page++) {
            TrackingFeed.SessionPage changes = tracking.sessionChanges(cursor, config.feedPage());
            changes.earliestByTenant().forEach((tenant, at) -> {
                if (at.isBefore(window)) {
                    earliest.merge(tenant, at, (a, b) -> a.isBefore(b) ? a : b);
                }
            });
            cursor = changes.next();
            if (changes.size() < config.feedPage()) {
                break;
            }
        }
        return new LateSessions(earliest, cursor.isEmpty() ? null : cursor);
    }

    private void recount(String tenantId, Instant from, Instant to) {
        Map<String, ZoneId> zones = store.zones();
        Map<String, List<TrafficFact>> rows = tracking.traffic(tenantId, from, to, zones, FALLBACK);
        Set<String> tenants = new HashSet<>(rows.keySet());
        if (tenantId != null) {
            tenants.add(tenantId);
        } else {
            tenants.addAll(store.tenantsWithTraffic(from));
        }
        for (String tenant : tenants) {
            ZoneId zone = zones.getOrDefault(tenant, FALLBACK);
            LocalDate lo = from.atZone(zone).toLocalDate().plusDays(1);
            LocalDate hi = to.atZone(zone).toLocalDate().minusDays(1);
            store.replaceTraffic(tenant, lo, hi, rows.getOrDefault(tenant, List.of()));
        }
        count(TRAFFIC, rows.values().stream().mapToInt(List::size).sum());
    }

    private void count(String feed, int records) {
        metrics.counter("throughline_reporting_feed_records_total", "feed", feed).increment(records);
    }

    private void guarded(String feed, Runnable work) {
        try {
            work.run();
        } catch (FeedStore.Raced e) {
            LOG.debugf("%s", e.getMessage());
        } catch (StatusRuntimeException e) {
            metrics.counter("throughline_reporting_feed_failures_total", "feed", feed).increment();
            LOG.debugf("Feed %s: %s", feed, e.getStatus());
        } catch (RuntimeException e) {
            metrics.counter("throughline_reporting_feed_failures_total", "feed", feed).increment();
            LOG.warnf("Feed %s failed: %s", feed, e.toString());
        }
    }
}
