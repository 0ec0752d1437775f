package io.throughline.tracking.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.throughline.commons.api.FieldError;
import io.throughline.commons.api.ProblemDetail;
import io.throughline.commons.limits.PublicRateLimits;
import io.throughline.tracking.config.ShippedData;
import io.throughline.tracking.domain.BatchReader;
import io.throughline.tracking.domain.EventVerdict;
import io.throughline.tracking.domain.Hit;
import io.throughline.tracking.domain.HitBatch;
import io.throughline.tracking.domain.HitFactory;
import io.throughline.tracking.domain.Site;
import io.throughline.tracking.store.DurableHits;
import io.throughline.tracking.store.SiteDirectory;
import io.throughline.tracking.store.Spool;
import io.throughline.tracking.store.StoreErrors;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;

/**
 * The collector behind POST /collect: reads and validates the batch, checks the site key, the page's origin
 * and the rate limits, turns events into scored hits and makes them durable before answering.
 */
@Singleton
public class Collector {

    private static final Logger LOG = Logger.getLogger(Collector.class);

    private final SiteDirectory sites;
    private final TenantTraffic traffic;
    private final PublicRateLimits limits;
    private final DurableHits durable;
    private final HitFactory hits;
    private final MeterRegistry metrics;
    private final java.util.Map<String, io.micrometer.core.instrument.Counter> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
    private final io.micrometer.core.instrument.Counter acceptedEvents;
    private final io.micrometer.core.instrument.Counter duplicateEvents;
    private final io.micrometer.core.instrument.Counter rejectedEvents;

    public Collector(SiteDirectory sites, TenantTraffic traffic, PublicRateLimits limits, DurableHits durable,
            ShippedData data, UserAgents userAgents, MeterRegistry metrics) {
        this.sites = sites;
        this.traffic = traffic;
        this.limits = limits;
        this.durable = durable;
        this.hits = new HitFactory(userAgents::of, data.disposableEmailDomains());
        this.metrics = metrics;
        this.acceptedEvents = metrics.counter("throughline_collect_events_total", "verdict", "accepted");
        this.duplicateEvents = metrics.counter("throughline_collect_events_total", "verdict", "duplicate");
        this.rejectedEvents = metrics.counter("throughline_collect_events_total", "verdict", "rejected");
    }

    /** What the client sent, and what the connection tells about it. */
    public record Request(byte[] body, String origin, String userAgent, String ip, Instant receivedAt) {
    }

    /** The answer: a status, a body (a {@link CollectResponse} or a problem), headers, and the origin CORS allows. */
    public record Answer(int status, Object body, Map<String, String> headers, String allowedOrigin) {
        static Answer problem(int status, String slug, String title, String detail, List<FieldError> errors) {
            return new Answer(status, ProblemDetail.of(status, slug, title, detail, errors).withInstance("/collect"), Map.of(), null);
        }

        Answer withHeader(String name, String value) {
            Map<String, String> more = new java.util.HashMap<>(headers);
            more.put(name, value);
            return new Answer(status, body, Map.copyOf(more), allowedOrigin);
        }
    }

    public CompletableFuture<Answer> collect(Request request) {
        BatchReader.Result read = BatchReader.read(request.body(), request.receivedAt());
        if (read.malformed()) {
            count("bad_request");
            return done(Answer.problem(400, "malformed-body", "Malformed request body", "The body is not valid JSON", List.of()));
        }
        if (read.badRequest()) {
            List<FieldError> errors = read.problems().stream().map(v -> new FieldError(v.field(), v.message())).toList();
            String detail = errors.stream().map(e -> (e.field().isEmpty() ? "body" : e.field()) + " " + e.message())
                    .reduce((a, b) -> a + "; " + b).orElse("");
            count("bad_request");
            return read.tooManyEvents()
                    ? done(Answer.problem(413, "too-large", "Payload too large", detail, errors))
                    : done(Answer.problem(400, "invalid-request", "Invalid request", detail, errors));
        }
        return sites.byPublicKey(read.batch().siteKey())
                .thenCompose(site -> withSite(site, read, request))
                .exceptionally(this::failure);
    }

    private CompletableFuture<Answer> withSite(Optional<Site> found, BatchReader.Result read, Request request) {
        if (found.isEmpty()) {
            count("unknown_site");
            return done(Answer.problem(403, "unknown-site", "Unknown site", "No site has the key " + read.batch().siteKey(),
                    List.of(new FieldError("site", "is not a registered site key"))));
        }
        Site site = found.get();
        if (request.origin() != null && !site.ownsOrigin(request.origin())) {
            count("wrong_origin");
            return done(Answer.problem(403, "origin-not-allowed", "Origin not allowed",
                    "Pages on " + request.origin() + " may not send events for this site; add the domain to the site",
                    List.of(new FieldError("Origin", "is not one of the site's domains"))));
        }
        long wait = limits.waitSeconds(site.publicKey(), request.ip());
        if (wait > 0) {
            count("rate_limited");
            return done(Answer.problem(429, "rate-limited", "Too many requests", "Slow down; retry after " + wait + " s", List.of())
                    .withHeader("Retry-After", Long.toString(wait)));
        }
        if (read.batch().events().isEmpty()) {
            return done(answer(read.verdicts(), Set.of(), false, request.origin()));
        }
        return traffic.of(site.tenantId()).thenCompose(sources -> {
            List<Hit> built = hits.hits(site, read.batch(), new HitFactory.RequestFacts(request.userAgent(), ClientAddresses.prefix(request.ip()),
                    request.receivedAt()), sources);
            HitBatch batch = new HitBatch(site.tenantId(), read.batch().visitorId(), site.sessionTimeoutMinutes(), site.defaultPhoneRegion(), built);
            return durable.write(batch).thenApply(outcome -> answer(read.verdicts(), outcome.duplicates(), outcome.queued(), request.origin()));
        });
    }

    private Answer answer(List<EventVerdict> verdicts, Set<String> stored, boolean queued, String origin) {
        List<EventVerdict> out = new ArrayList<>(verdicts.size());
        for (EventVerdict v : verdicts) {
            out.add(v.status() == EventVerdict.Status.ACCEPTED && stored.contains(v.eventId()) ? EventVerdict.duplicate(v.eventId()) : v);
        }
        CollectResponse response = CollectResponse.of(out, queued);
        acceptedEvents.increment(response.accepted());
        duplicateEvents.increment(response.duplicates());
        rejectedEvents.increment(response.rejected());
        count(queued ? "spooled" : "stored");
        return new Answer(queued ? 202 : 200, response, Map.of(), origin);
    }

    private Answer failure(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof Spool.Full) {
            count("spool_full");
            return Answer.problem(503, "spool-full", "Temporarily unavailable",
                    "The store is down and the buffer is full; retry later", List.of()).withHeader("Retry-After", "30");
        }
        if (StoreErrors.isOutage(cause)) {
            count("store_down");
            return Answer.problem(503, "dependency-unavailable", "Dependency unavailable",
                    "The site cannot be looked up while the store is down; retry later", List.of()).withHeader("Retry-After", "10");
        }
        LOG.errorf(cause, "Collecting a batch failed");
        count("error");
        return Answer.problem(500, "internal-error", "Internal error", "The batch was not stored; it has been logged", List.of());
    }

    private void count(String outcome) {
        outcomes.computeIfAbsent(outcome, o -> metrics.counter("throughline_collect_batches_total", "outcome", o)).increment();
    }

    private static CompletableFuture<Answer> done(Answer answer) {
        return CompletableFuture.completedFuture(answer);
    }
}
