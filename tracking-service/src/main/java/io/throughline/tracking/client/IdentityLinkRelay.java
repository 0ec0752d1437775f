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
    private static final Set<Status.Code> OUTAGE = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
            Status.Code.RESOURCE_EXHAUSTED, Status.Code.ABORTED, Status.Code.CANCELLED, Status.Code.UNKNOWN, Status.Code.INTERNAL);

    private final IdentityOutbox outbox;
    private final ContactStore contacts;
    private final IdentityCalls identity;
    private final TrackingConfig.Outbox config;
    private final CoalescingWorker worker = new CoalescingWorker("identity-link-relay", this::deliverDue);
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();

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
            due = outbox.due(Instant.now(), config.batchSize());
            pending.set(outbox.pendingCount());
        } catch (RuntimeException e) {
            if (!StoreErrors.isOutage(e)) {
                LOG.warnf("Reading the identity outbox failed: %s", e.toString());
            }
            return;
        }
        for (IdentityOutbox.Pending p : due) {
            try {
                LinkResponse linked = identity.link(p.link());
                contacts.linked(p.id(), linked.getPersonId(), PersonVerdicts.code(linked.getVerdict()));
                outbox.delivered(p.id());
                delivered.incrementAndGet();
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
                    LOG.debugf("identity-service unavailable (%s); %d links wait", e.getStatus().getCode(), due.size());
                    return;
                }
            } catch (RuntimeException e) {
                if (StoreErrors.isOutage(e)) {
                    return;
                }
                LOG.warnf("Delivering link %s failed: %s", p.id(), e.toString());
                outbox.retryAt(p.id(), p.attempts() + 1, Instant.now().plus(backoff(p.attempts() + 1)), e.getClass().getSimpleName());
            }
        }
        if (due.size() == config.batchSize()) {
            trigger();
        }
    }

    private Duration backoff(int attempts) {
        long seconds = 1L << Math.min(attempts, 20);
        return Duration.ofSeconds(Math.min(seconds, config.maxBackoff().toSeconds()));
    }
}
