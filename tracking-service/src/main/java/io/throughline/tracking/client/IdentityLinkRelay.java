package io.throughline.tracking.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.throughline.commons.work.CoalescingWorker;
import io.throughline.tracking.config.TrackingConfig;
import io.throughline.commons.grpc.PersonVerdicts;
import io.throughline.contracts.identity.v1.LinkResponse;
import io.throughline.tracking.store.ContactStore;
import io.throughline.tracking.store.IdentityOutbox;
import io.throughline.tracking.store.StoreErrors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Delivers queued identity links: at once when a lead is stored, and every few seconds for what is due. A
 * link identity-service did not take stays queued with exponential backoff (capped), so an outage of
 * identity-service delays links but never loses them; one it keeps refusing is parked after many attempts.
 */
@ApplicationScoped
public class IdentityLinkRelay {

    private static final Logger LOG = Logger.getLogger(IdentityLinkRelay.class);
    /**
     * Links per BatchLink call (identity takes at most 500). One transaction holds the batch's key locks until it
     * commits, so small batches: 25 gave the most links/s with 4 concurrent senders in the bench.
     */
    private static final int MAX_BATCH = 25;
    private static final Set<Status.Code> OUTAGE = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
            Status.Code.RESOURCE_EXHAUSTED, Status.Code.ABORTED, Status.Code.CANCELLED, Status.Code.UNKNOWN, Status.Code.INTERNAL);

    private final IdentityOutbox outbox;
    private final ContactStore contacts;
    private final IdentityCalls identity;
    private final TrackingConfig.Outbox config;
    private final CoalescingWorker worker = new CoalescingWorker("identity-link-relay", this::deliverDue);
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    private volatile boolean resealed;

    public IdentityLinkRelay(IdentityOutbox outbox, ContactStore contacts, IdentityCalls identity, TrackingConfig config, MeterRegistry metrics) {
        this.outbox = outbox;
        this.contacts = contacts;
        this.identity = identity;
        this.config = config.outbox();
        Gauge.builder("throughline_identity_outbox_pending", pending, AtomicLong::get)
                .description("Identity links waiting for identity-service").register(metrics);
        Gauge.builder("throughline_identity_links_delivered", delivered, AtomicLong::get)
                .description("Identity links delivered since start").register(metrics);
    }

    void start(@Observes StartupEvent event) {
        outbox.onEnqueue(this::trigger);
    }

    void stop(@Observes ShutdownEvent event) {
        worker.close();
    }

    @Scheduled(every = "${throughline.tracking.outbox.interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void everyFewSeconds() {
        trigger();
    }

    /** Runs a delivery round soon (one at a time; a trigger during a round leads to one more round). */
    public void trigger() {
        worker.trigger();
    }

    /** One round: everything due, oldest first; stops at the first sign of an outage. */
    void deliverDue() {
        List<IdentityOutbox.Pending> due;
        try {
            if (!resealed) {
                int n = outbox.resealRetired();
                resealed = true;
                if (n > 0) {
                    LOG.infof("Sealed again %d queued identity links (written plain or under a retired key)", n);
                }
            }
            due = outbox.due(Instant.now(), config.batchSize());
            pending.set(outbox.pendingCount());
        } catch (RuntimeException e) {
            if (!StoreErrors.isOutage(e)) {
                LOG.warnf("Reading the identity outbox failed: %s", e.toString());
            }
            return;
        }
        // Consecutive links of one workspace go in one BatchLink (one transaction in identity); an invalid one in a
        // batch, or an identity-service without BatchLink, falls back to one call per link (which parks the invalid one).
        for (List<IdentityOutbox.Pending> group : io.throughline.commons.work.Batches.consecutive(due, p -> p.link().tenantId(), MAX_BATCH)) {
            if (group.size() > 1) {
                try {
                    List<LinkResponse> answers = identity.linkAll(group.get(0).link().tenantId(), group.stream().map(IdentityOutbox.Pending::link).toList());
                    for (int i = 0; i < group.size(); i++) {
                        linked(group.get(i), answers.get(i));
                    }
                    continue;
                } catch (StatusRuntimeException e) {
                    Status.Code code = e.getStatus().getCode();
                    if (code != Status.Code.UNIMPLEMENTED && code != Status.Code.INVALID_ARGUMENT) {
                        if (OUTAGE.contains(code)) {
                            group.forEach(p -> outbox.retryAt(p.id(), p.attempts() + 1, Instant.now().plus(backoff(p.attempts() + 1)), code.name()));
                            LOG.debugf("identity-service unavailable (%s); %d links wait", code, due.size());
                            return;
                        }
                    }
                } catch (RuntimeException e) {
                    if (StoreErrors.isOutage(e)) {
                        return;
                    }
                }
            }
            for (IdentityOutbox.Pending p : group) {
                if (!deliverOne(p, due.size())) {
                    return;
                }
            }
        }
        if (due.size() == config.batchSize()) {
            trigger();
        }
    }

    private void linked(IdentityOutbox.Pending p, LinkResponse linked) {
        contacts.linked(p.id(), linked.getPersonId(), PersonVerdicts.code(linked.getVerdict()));
        outbox.delivered(p.id());
        delivered.incrementAndGet();
    }

    /** One link on its own; false when identity-service or the store is out (the round stops). */
    private boolean deliverOne(IdentityOutbox.Pending p, int waiting) {
        try {
            linked(p, identity.link(p.link()));
        } catch (StatusRuntimeException e) {
            int attempts = p.attempts() + 1;
            boolean outage = OUTAGE.contains(e.getStatus().getCode());
            if (!outage && attempts >= config.maxAttempts()) {
                LOG.errorf("identity-service keeps refusing link %s (%s); parked", p.id(), e.getStatus().getCode());
                outbox.park(p.id(), attempts, e.getStatus().getCode().name());
            } else {
                outbox.retryAt(p.id(), attempts, Instant.now().plus(backoff(attempts)), e.getStatus().getCode().name());
            }
            if (outage) {
                LOG.debugf("identity-service unavailable (%s); %d links wait", e.getStatus().getCode(), waiting);
                return false;
            }
        } catch (RuntimeException e) {
            if (StoreErrors.isOutage(e)) {
                return false;
            }
            LOG.warnf("Delivering link %s failed: %s", p.id(), e.toString());
            outbox.retryAt(p.id(), p.attempts() + 1, Instant.now().plus(backoff(p.attempts() + 1)), e.getClass().getSimpleName());
        }
        return true;
    }

    private Duration backoff(int attempts) {
        long seconds = 1L << Math.min(attempts, 20);
        return Duration.ofSeconds(Math.min(seconds, config.maxBackoff().toSeconds()));
    }
}
