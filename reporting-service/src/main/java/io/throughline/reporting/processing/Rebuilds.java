package io.throughline.reporting.processing;

import io.throughline.reporting.store.FeedStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * A workspace's zone changed: every aggregate cut by day is rebuilt from the facts held, and credits and traffic are
 * read again in full (their days come cut from the services). In the background; reports show the rebuilt figures as
 * they land.
 */
@ApplicationScoped
public class Rebuilds {

    private static final Logger LOG = Logger.getLogger(Rebuilds.class);

    private final FeedStore store;
    private final FeedSync sync;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "reporting-rebuild");
        t.setDaemon(true);
        return t;
    });

    public Rebuilds(FeedStore store, FeedSync sync) {
        this.store = store;
        this.sync = sync;
    }

    public void zoneChanged(String tenantId) {
        worker.submit(() -> {
            try {
                store.rebuild(tenantId);
                sync.refreshTraffic(tenantId);
                sync.syncAll();
            } catch (RuntimeException e) {
                LOG.warnf("Rebuilding the aggregates of %s failed: %s", tenantId, e.toString());
            }
        });
    }
}
