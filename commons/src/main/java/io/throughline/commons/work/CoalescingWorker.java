package io.throughline.commons.work;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs rounds of background work on one daemon thread: a trigger while nothing is queued queues a round; triggers
 * during a round lead to exactly one more. Outboxes and processors use it to react at once to new work and to
 * their schedule without ever running two rounds at the same time.
 */
public final class CoalescingWorker implements AutoCloseable {

    private final ExecutorService worker;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable round;

    public CoalescingWorker(String threadName, Runnable round) {
        this.round = round;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
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
