package io.throughline.reporting.processing;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.throughline.reporting.config.ReportingConfig;
import io.throughline.reporting.domain.spend.SpendFile;
import io.throughline.reporting.store.ImportStore;
import io.throughline.reporting.store.SpendStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Spend imports: a parsed file is recorded with what it read and refused, written in one transaction (the stored days
 * it covers are replaced, never added to) with its progress visible, and finished with its summary. Large uploads
 * are written in the background; the API's rows at once.
 */
@ApplicationScoped
public class SpendImports {

    private static final Logger LOG = Logger.getLogger(SpendImports.class);

    private final ImportStore imports;
    private final SpendStore spend;
    private final ReportingConfig config;
    private final ExecutorService background = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "spend-import");
        t.setDaemon(true);
        return t;
    });

    public SpendImports(ImportStore imports, SpendStore spend, ReportingConfig config) {
        this.imports = imports;
        this.spend = spend;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        int failed = imports.failInterrupted();
        if (failed > 0) {
            LOG.infof("%d spend imports interrupted by the last shutdown marked failed", failed);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        background.shutdownNow();
    }

    /** Records and writes the file here and now; answers the finished import. */
    public ImportStore.Import runNow(String tenantId, String format, String origin, SpendFile file) {
        ImportStore.Import started = imports.start(tenantId, format, origin);
        write(started, file);
        return imports.find(tenantId, started.id()).orElseThrow();
    }

    /** Records the file and writes it in the background; answers the running import (its progress moves). */
    public ImportStore.Import submit(String tenantId, String format, String origin, SpendFile file) {
        ImportStore.Import started = imports.start(tenantId, format, origin);
        imports.parsed(started.id(), file.read(), file.rows().size(), file.rejected());
        background.submit(() -> write(started, file));
        return imports.find(tenantId, started.id()).orElseThrow();
    }

    private void write(ImportStore.Import started, SpendFile file) {
        try {
            imports.parsed(started.id(), file.read(), file.rows().size(), file.rejected());
            SpendStore.Outcome outcome = spend.replace(started.tenantId(), started.id(), file.rows(), config.imports().batch(),
                    done -> imports.progress(started.id(), done));
            imports.done(started.id(), outcome);
        } catch (RuntimeException e) {
            LOG.warnf("Spend import %s failed: %s", started.id(), e.toString());
            imports.failed(started.id(), "the import could not be stored (nothing of it was): " + e.getClass().getSimpleName());
        }
    }
}
