package io.throughline.commons.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Server-streamed gRPC answers produced by blocking work (a database cursor): the work runs on a worker thread and
 * waits while the caller has not asked for more, so a slow reader holds the cursor instead of a growing buffer. A
 * {@link StatusRuntimeException} ends the stream with its status; anything else with INTERNAL (logged).
 */
public final class StreamedAnswers {

    private static final Logger LOG = Logger.getLogger(StreamedAnswers.class);

    /** Hands messages on as the caller asks for them. */
    public interface Sink<T> {
        void emit(T message);
    }

    private StreamedAnswers() {
    }

    public static <T> Multi<T> of(Consumer<Sink<T>> work) {
        return Multi.createFrom().<T>emitter(emitter -> {
            try {
                work.accept(message -> send(emitter, message));
                emitter.complete();
            } catch (StatusRuntimeException e) {
                emitter.fail(e);
            } catch (RuntimeException e) {
                LOG.warnf("A streamed answer failed: %s", e.toString());
                emitter.fail(Status.INTERNAL.withDescription("the stream failed").asRuntimeException());
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private static <T> void send(MultiEmitter<? super T> emitter, T message) {
        while (emitter.requested() == 0) {
            if (emitter.isCancelled()) {
                throw Status.CANCELLED.withDescription("the caller went away").asRuntimeException();
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
            }
        }
        emitter.emit(message);
    }
}
