package io.throughline.commons.erasure;

import io.grpc.StatusRuntimeException;
import io.throughline.commons.grpc.ServiceCalls;
import io.throughline.contracts.identity.v1.ConfirmErasureRequest;
import io.throughline.contracts.identity.v1.IdentifierType;
import io.throughline.contracts.identity.v1.ListPendingErasuresRequest;
import io.throughline.contracts.identity.v1.MutinyIdentityServiceGrpc.MutinyIdentityServiceStub;
import io.throughline.contracts.identity.v1.PendingErasure;
import io.throughline.contracts.identity.v1.ResolvedIdentifier;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * A service's side of identity-service's erasure feed: list the erasures it has not confirmed, delete what it holds of
 * each person, confirm with the counts. An erasure that fails is listed again next round.
 */
public final class ErasureFeedRounds {

    private static final Logger LOG = Logger.getLogger(ErasureFeedRounds.class);
    private static final int BATCH = 100;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private ErasureFeedRounds() {
    }

    /**
     * One round over identity-service's feed for {@code consumer} ("tracking", "calltracking", ...), with the
     * service's token; each call bounded by a deadline. Answers how many erasures were confirmed.
     */
    public static int process(MutinyIdentityServiceStub identity, ServiceCalls calls, String consumer,
            Function<PendingErasure, Map<String, Long>> erase) {
        return process(limit -> calls.call(identity.withDeadlineAfter(5, TimeUnit.SECONDS), s -> s.listPendingErasures(
                ListPendingErasuresRequest.newBuilder().setConsumer(consumer).setLimit(limit).build())).await().atMost(WAIT).getErasuresList(),
                (id, deleted) -> calls.call(identity.withDeadlineAfter(5, TimeUnit.SECONDS), s -> s.confirmErasure(ConfirmErasureRequest.newBuilder()
                        .setErasureId(id).setConsumer(consumer).putAllDeleted(deleted).build())).await().atMost(WAIT), erase);
    }

    /** One round; answers how many erasures were confirmed. */
    public static int process(IntFunction<List<PendingErasure>> pending, BiConsumer<String, Map<String, Long>> confirm,
            Function<PendingErasure, Map<String, Long>> erase) {
        int confirmed = 0;
        for (PendingErasure erasure : pending.apply(BATCH)) {
            Map<String, Long> deleted = erase.apply(erasure);
            confirm.accept(erasure.getErasureId(), deleted);
            LOG.infof("Erasure %s: deleted %s", erasure.getErasureId(), deleted);
            confirmed++;
        }
        return confirmed;
    }

    /** A scheduled round: identity-service unavailable is logged at debug, an expected failure not at all, others as warnings. */
    public static void guarded(Runnable round, Predicate<RuntimeException> expected) {
        try {
            round.run();
        } catch (StatusRuntimeException e) {
            LOG.debugf("Erasure feed unavailable: %s", e.getStatus().getCode());
        } catch (RuntimeException e) {
            if (!expected.test(e)) {
                LOG.warnf("Processing erasures failed: %s", e.toString());
            }
        }
    }

    /** The erased values of the given identifier types (non-blank). */
    public static List<String> values(PendingErasure erasure, IdentifierType... types) {
        Set<IdentifierType> wanted = Set.of(types);
        return erasure.getIdentifiersList().stream().filter(i -> wanted.contains(i.getType())).map(ResolvedIdentifier::getValue)
                .filter(v -> !v.isBlank()).distinct().toList();
    }
}
