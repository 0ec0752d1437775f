package io.throughline.tracking.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.throughline.tracking.config.TrackingConfig;
import io.throughline.tracking.config.TrackingSecrets;
import io.throughline.tracking.domain.HitBatch;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Where an accepted batch becomes durable before the collector answers 2xx: the store (an acknowledged
 * write), or, while the store does not answer, the spool. Once anything is spooled, every new batch is
 * spooled too until the replayer has moved the spool into the store in order; then batches go straight to
 * the store again.
 */
@Singleton
public class DurableHits {

    private static final Logger LOG = Logger.getLogger(DurableHits.class);

    /** What happened to a batch: the event ids that were already stored, and whether it waits in the spool. */
    public record Outcome(Set<String> duplicates, boolean queued) {
    }

    public enum Sink { STORE, SPOOL, DISCARD }

    private final HitStore store;
    private final TrackingCollections collections;
    private final TrackingConfig config;
    private final MeterRegistry metrics;
    private final Sink sink;
    private final SpoolRecords records;
    private volatile String replayStalled;
    private final AtomicBoolean spooling = new AtomicBoolean();
    private final AtomicBoolean storeUp = new AtomicBoolean(true);
    private final Object wake = new Object();
    private Spool spool;
    private ExecutorService writers;
    private Thread replayer;
    private volatile boolean running;

    public DurableHits(HitStore store, TrackingCollections collections, ObjectMapper json, TrackingConfig config, TrackingSecrets secrets,
            MeterRegistry metrics) {
        this.store = store;
        this.collections = collections;
        this.config = config;
        this.metrics = metrics;
        this.sink = Sink.valueOf(config.collect().sink().toUpperCase(java.util.Locale.ROOT));
        this.records = new SpoolRecords(json, secrets.box().orElse(null));
    }

    void start(@Observes StartupEvent event) {
        spool = new Spool(Path.of(config.spool().directory()), config.spool().maxBytes(), config.spool().segmentBytes());
        spooling.set(sink == Sink.SPOOL || !spool.isDrained());
        describeSealing();
        AtomicInteger threadNo = new AtomicInteger();
        writers = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "hit-writer-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        running = true;
        replayer = new Thread(this::replayLoop, "spool-replayer");
        replayer.setDaemon(true);
        replayer.start();
        Gauge.builder("throughline_spool_bytes", spool, Spool::bytes).description("Bytes of acknowledged batches waiting in the spool").register(metrics);
        Gauge.builder("throughline_spool_batches", spool, Spool::records).description("Batches waiting in the spool").register(metrics);
        Gauge.builder("throughline_store_up", storeUp, b -> b.get() ? 1 : 0).description("1 while the MongoDB store answers").register(metrics);
        if (sink == Sink.DISCARD) {
            LOG.warn("throughline.tracking.collect.sink=discard: accepted hits are thrown away (benchmarks only)");
        }
    }

    /** At start: whether batches are sealed, and under which keys the batches still waiting from before were. */
    private void describeSealing() {
        if (!records.sealing()) {
            LOG.warn("No THROUGHLINE_TRACKING_SECRET_KEYS: batches spooled while the store is down, leads' contacts included, are written"
                    + " to disk unsealed");
        }
        java.util.Map<String, Integer> byKey = new java.util.TreeMap<>();
        spool.forEachPending(SpoolRecords.KEY_HEAD, head -> byKey.merge(SpoolRecords.keyOf(head), 1, Integer::sum));
        if (!byKey.isEmpty()) {
            LOG.infof("Spooled batches from before the restart, by the key they are sealed with: %s (keep every one listed in"
                    + " THROUGHLINE_TRACKING_SECRET_KEYS until the spool drains)", byKey);
        }
    }

    /** Why the spool's replay waits (a batch sealed under a key that is not configured), or null. */
    public String replayStalled() {
        return replayStalled;
    }

    public boolean sealing() {
        return records.sealing();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        synchronized (wake) {
            wake.notifyAll();
        }
        if (writers != null) {
            writers.shutdown();
        }
        if (replayer != null) {
            try {
                replayer.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (spool != null) {
            spool.close();
        }
    }

    /** Makes the batch durable; the future fails with {@link Spool.Full} when it can be neither stored nor spooled. */
    public CompletableFuture<Outcome> write(HitBatch batch) {
        if (sink == Sink.DISCARD) {
            return CompletableFuture.completedFuture(new Outcome(Set.of(), false));
        }
        if (spooling.get()) {
            return toSpool(batch);
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return CompletableFuture.completedFuture(new Outcome(store.write(batch), false));
            } catch (RuntimeException e) {
                if (!StoreErrors.isOutage(e)) {
                    throw e;
                }
                storeDown(e);
                return toSpool(batch);
            }
        }, writers).thenCompose(f -> f);
    }

    public boolean storeUp() {
        return storeUp.get();
    }

    public boolean spooling() {
        return spooling.get();
    }

    public long spoolBytes() {
        return spool.bytes();
    }

    public long spoolBatches() {
        return spool.records();
    }

    /** Whether the spool can take more (readiness turns DOWN when it cannot). */
    public boolean spoolHasRoom() {
        return spool.bytes() < spool.maxBytes() * 0.95;
    }

    private CompletableFuture<Outcome> toSpool(HitBatch batch) {
        byte[] payload;
        try {
            payload = records.write(batch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CompletableFuture<Outcome> done = spool.append(payload).thenApply(v -> new Outcome(Set.of(), true));
        synchronized (wake) {
            wake.notifyAll();
        }
        return done;
    }

    private void storeDown(RuntimeException e) {
        if (storeUp.getAndSet(false)) {
            LOG.warnf("The store stopped answering (%s); accepting into the spool until it is back", e.getMessage());
        }
        spooling.set(true);
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private void replayLoop() {
        int failures = 0;
        while (running) {
            try {
                Spool.Entry entry = spool.peek();
                if (entry == null) {
                    if (sink == Sink.STORE && spooling.get() && storeUp.get() && spool.runIfDrained(() -> spooling.set(false))) {
                        LOG.info("The spool is drained; batches go straight to the store again");
                    }
                    if (!storeUp.get() && probe()) {
                        continue;
                    }
                    pause();
                    continue;
                }
                if (!storeUp.get() && !probe()) {
                    pause();
                    continue;
                }
                store.write(records.read(entry.payload()));
                spool.commit(entry);
                failures = 0;
                replayStalled = null;
            } catch (RuntimeException | IOException e) {
                if (e instanceof SpoolRecords.KeyMissing missing) {
                    if (replayStalled == null) {
                        LOG.error(missing.getMessage());
                    }
                    replayStalled = missing.getMessage();
                    pause();
                } else if (StoreErrors.isOutage(e)) {
                    storeUp.set(false);
                    pause();
                } else if (++failures >= 5) {
                    LOG.errorf(e, "A spooled batch failed %d times with a non-outage error; it is skipped", failures);
                    skipPoisonedEntry();
                    failures = 0;
                } else {
                    LOG.warnf("Replaying a spooled batch failed (%s); retrying", e.toString());
                    pause();
                }
            }
        }
    }

    private void skipPoisonedEntry() {
        Spool.Entry entry = spool.peek();
        if (entry != null) {
            metrics.counter("throughline_spool_skipped_batches_total").increment();
            spool.commit(entry);
        }
    }

    private boolean probe() {
        try {
            collections.ping();
            if (!storeUp.getAndSet(true)) {
                LOG.info("The store answers again; replaying the spool");
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void pause() {
        synchronized (wake) {
            try {
                wake.wait(config.spool().probeInterval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }
}
