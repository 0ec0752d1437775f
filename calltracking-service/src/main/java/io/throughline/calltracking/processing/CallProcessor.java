package io.throughline.calltracking.processing;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.throughline.commons.grpc.PersonVerdicts;
import io.throughline.contracts.identity.v1.LinkResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.throughline.calltracking.client.PlatformCalls;
import io.throughline.calltracking.config.CallTrackingConfig;
import io.throughline.calltracking.domain.CallEvent;
import io.throughline.calltracking.domain.CallMatcher;
import io.throughline.calltracking.domain.CallQuality;
import io.throughline.calltracking.domain.CallRules;
import io.throughline.calltracking.domain.CallStatus;
import io.throughline.calltracking.store.CallSettings;
import io.throughline.calltracking.store.Calls;
import io.throughline.calltracking.store.Json;
import io.throughline.commons.work.CoalescingWorker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Works through stored calls: matches each inbound call to the session that was shown the number (or the
 * number's static source), enriches it with the session's channel, campaign and click ids from tracking-service,
 * judges it by the site's rules, links the caller's phone to the visitor in identity-service, and marks missed
 * calls that were called back. A call whose enrichment or link failed stays due with a growing backoff; a
 * newer webhook event about the call makes it due again.
 */
@ApplicationScoped
public class CallProcessor {

    private static final Logger LOG = Logger.getLogger(CallProcessor.class);
    private static final Set<Status.Code> OUTAGE = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED, Status.Code.RESOURCE_EXHAUSTED,
            Status.Code.ABORTED, Status.Code.CANCELLED, Status.Code.UNKNOWN, Status.Code.INTERNAL, Status.Code.UNAUTHENTICATED);

    private final Calls calls;
    private final CallSettings settings;
    private final CallEnrichment enrichment;
    private final PlatformCalls platform;
    private final CallTrackingConfig.Processing config;
    private final CoalescingWorker worker = new CoalescingWorker("call-processor", this::round);

    private final MeterRegistry metrics;

    public CallProcessor(Calls calls, CallSettings settings, CallEnrichment enrichment, PlatformCalls platform,
            CallTrackingConfig config, MeterRegistry metrics) {
        this.metrics = metrics;
        this.calls = calls;
        this.settings = settings;
        this.enrichment = enrichment;
        this.platform = platform;
        this.config = config.processing();
    }

    void stop(@Observes ShutdownEvent event) {
        worker.close();
    }

    @Scheduled(every = "${throughline.calltracking.processing.interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void everyFewSeconds() {
        trigger();
    }

    /** Runs a round soon (one at a time; a trigger during a round leads to one more round). */
    public void trigger() {
        worker.trigger();
    }

    private void round() {
        try {
            processDue();
        } catch (RuntimeException e) {
            LOG.warnf("Processing calls failed: %s", e.toString());
        }
    }

    /** One round over due calls; returns how many were processed to the end. */
    public int processDue() {
        List<Calls.Claimed> due = calls.claimDue(config.batchSize(), Duration.ofMinutes(1));
        int done = 0;
        for (Calls.Claimed call : due) {
            if (process(call)) {
                done++;
            }
        }
        if (due.size() == config.batchSize()) {
            trigger();
        }
        return done;
    }

    private boolean process(Calls.Claimed call) {
        CallRules rules = settings.of(call.tenantId(), call.siteKey());
        boolean inbound = CallEvent.Direction.INBOUND.code().equals(call.direction());
        CallEnrichment.Match match;
        String error = null;
        try {
            match = inbound ? enrichment.match(call, rules) : CallEnrichment.Match.NONE;
        } catch (StatusRuntimeException e) {
            // tracking-service did not answer: keep what the reservation knows and try again later.
            match = enrichment.matchWithoutSession(call, rules);
            error = "tracking: " + e.getStatus().getCode();
        }
        CallStatus status = call.status() == null ? null : CallStatus.fromCode(call.status());
        CallQuality.Verdict verdict = call.completed()
                ? CallQuality.judge(inbound ? CallEvent.Direction.INBOUND : CallEvent.Direction.OUTBOUND, call.callerRaw(), call.callerE164(), status,
                        call.talkSeconds(), call.durationSeconds(), calls.history(call, rules.uniqueWindowDays()), rules)
                : null;
        boolean linked = call.identityLinked();
        String personId = null;
        String personVerdict = null;
        // Only a certain match links the phone to the visitor: an ambiguous one (a shared number) could merge two people
        // in identity. The phone alone is linked either way (the caller is a person, for lead and duplicate counts).
        boolean certain = match.visitorId() != null && match.confidence() != null && match.confidence() >= 1.0;
        boolean linkable = inbound && call.callerE164() != null && (verdict == null || !verdict.excluded());
        if (linkable && !linked) {
            try {
                LinkResponse person = platform.link(call.tenantId(), "call:" + call.id(), certain ? match.visitorId() : null, call.callerE164(),
                        call.startedAt());
                personId = person.getPersonId().isBlank() ? null : person.getPersonId();
                personVerdict = PersonVerdicts.code(person.getVerdict());
                linked = true;
            } catch (StatusRuntimeException e) {
                error = "identity: " + e.getStatus().getCode();
                if (!OUTAGE.contains(e.getStatus().getCode()) && call.attempts() >= 20) {
                    LOG.errorf("identity-service keeps refusing the link of call %s (%s); given up", call.id(), e.getStatus().getCode());
                    linked = false;
                    error = error + " (given up)";
                }
            }
        }
        boolean finished = error == null || error.endsWith("(given up)");
        Instant retryAt = finished ? null : Instant.now().plus(backoff(call.attempts()));
        Calls.Outcome outcome = new Calls.Outcome(match.kind(), match.confidence(), match.reservationId(), Json.of(match.alternates()),
                match.visitorId(), match.sessionId(), match.channel(), match.campaign(), match.clickIds(), match.landingPage(), match.referrer(),
                verdict, linked, personId, personVerdict);
        boolean saved = calls.save(call, outcome, finished, retryAt, error);
        metrics.counter("throughline_calls_processed_total", "match", match.kind() == null ? "outbound" : match.kind(),
                "outcome", !saved ? "superseded" : finished ? "done" : "retry").increment();
        if (saved && call.completed()) {
            Duration window = Duration.ofMinutes(rules.callbackWindowMinutes());
            if (!inbound && status == CallStatus.ANSWERED && call.calledE164() != null) {
                calls.markCalledBack(call.tenantId(), call.calledE164(), call.startedAt().minus(window), call.startedAt(), rules.callbackWindowMinutes());
            } else if (inbound && verdict != null && verdict.missed() && call.callerE164() != null) {
                calls.markCalledBack(call.tenantId(), call.callerE164(), call.startedAt(), call.startedAt(), rules.callbackWindowMinutes());
            }
        }
        return saved && finished;
    }

    private Duration backoff(int attempts) {
        long seconds = 1L << Math.min(Math.max(attempts, 1), 20);
        return Duration.ofSeconds(Math.min(seconds, config.maxBackoff().toSeconds()));
    }
}
