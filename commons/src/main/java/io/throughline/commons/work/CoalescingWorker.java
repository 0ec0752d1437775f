package io.throughline.commons.work;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.jboss.logging.Logger;

/**
 * Runs rounds of background work on one daemon thread: a trigger while nothing is queued queues a round; triggers
 * during a round lead to exactly one more. Outboxes and processors use it to react at once to new work and to
 * their schedule without ever running two rounds at the same time.
 */
public final class CoalescingWorker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CoalescingWorker.class);

    private final ExecutorService worker;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private Runnable round;

    public CoalescingWorker(String threadName, Runnable round) {
        this.round = round;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * A worker for an outbox: each round claims up to {@code batch} due items and handles them one by one; a full
     * batch means more may be due, so it goes again at once. A failing round is logged and left to the next trigger
     * (the items stay due where they are stored).
     */
    public static <T> CoalescingWorker claiming(String threadName, int batch, IntFunction<List<T>> claim, Consumer<T> handle) {
        return claimingAll(threadName, batch, claim, due -> due.forEach(handle));
    }

    /** {@link #claiming} handing each claimed batch over at once (to send it on in one call). */
    public static <T> CoalescingWorker claimingAll(String threadName, int batch, IntFunction<List<T>> claim, Consumer<List<T>> handle) {
        CoalescingWorker worker = new CoalescingWorker(threadName, null);
        worker.round = () -> {
            try {
                List<T> due = claim.apply(batch);
                handle.accept(due);
                if (due.size() == batch) {
                    worker.trigger();
                }
            } catch (RuntimeException e) {
                LOG.warnf("%s: a round failed: %s", threadName, e.toString());
            }
        };
        return worker;
    }

    /** Runs a round soon. */
    public void trigger() {
        if (scheduled.compareAndSet(false, true)) {
            worker.execute(() -> {
                scheduled.set(false);
                round.run();
            });
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
