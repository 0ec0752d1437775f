package io.throughline.tracking.store;

import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Threads on which cache misses wait for the store, so the HTTP event loop never blocks on MongoDB. */
public final class StoreLookups {

    private StoreLookups() {
    }

    public static Executor executor(String name) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
