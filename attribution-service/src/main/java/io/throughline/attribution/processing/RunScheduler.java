package io.throughline.attribution.processing;

import io.quarkus.scheduler.Scheduled;
import io.throughline.attribution.domain.journeys.AttributionSettings;
import io.throughline.attribution.domain.models.ModelSpec;
import io.throughline.attribution.store.Deals;
import io.throughline.attribution.store.Runs;
import io.throughline.attribution.store.SettingsStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Keeps every enabled model of every workspace attributed: when deals changed (or payments fell due) since a series'
 * newest version, or persons were marked as changed since (late touches, merges: see RunMarksFeed), a new version is
 * made with the cut-off now. Rule-based series start from their newest version and
 * recompute only the people whose deals changed (incremental); data-driven series are refitted on everything, at most
 * once per {@code throughline.attribution.refit-interval} (default 1 hour).
 */
@ApplicationScoped
public class RunScheduler {

    private static final Logger LOG = Logger.getLogger(RunScheduler.class);

    private final SettingsStore settings;
    private final Runs runs;
    private final Deals deals;
    private final RunExecutor executor;
    private final io.throughline.attribution.store.RunMarks marks;

    private final java.time.Duration refitInterval;

    public RunScheduler(SettingsStore settings, Runs runs, Deals deals, RunExecutor executor, io.throughline.attribution.store.RunMarks marks,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "throughline.attribution.refit-interval", defaultValue = "PT1H")
            java.time.Duration refitInterval) {
        this.refitInterval = refitInterval;
        this.settings = settings;
        this.runs = runs;
        this.deals = deals;
        this.executor = executor;
        this.marks = marks;
    }

    @Scheduled(every = "${throughline.attribution.runs-interval:5m}", delayed = "${throughline.attribution.runs-delay:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void everyFewMinutes() {
        for (String tenant : settings.tenantsWithDeals()) {
            try {
                refresh(tenant);
            } catch (RuntimeException e) {
                LOG.warnf("Scheduled attribution of workspace %s failed: %s", tenant, e.toString());
            }
        }
    }

    /** Brings every enabled series of the workspace up to date (runs here and now); answers the versions made. */
    public List<Runs.Run> refresh(String tenantId) {
        AttributionSettings s = settings.get(tenantId);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<Runs.Run> made = new ArrayList<>();
        for (ModelSpec spec : s.models()) {
            if (runs.running(tenantId, spec.series())) {
                continue;
            }
            Optional<Runs.Run> latest = runs.latestDone(tenantId, spec.series());
            if (latest.isPresent() && latest.get().journeys().equals(s.journeys())
                    && !deals.changedSince(tenantId, latest.get().createdAt(), latest.get().cutoff(), now)
                    && !marks.any(tenantId, latest.get().createdAt())) {
                continue;
            }
            // A data-driven version is a full refit (every person looked up again): at most one per refit interval.
            if (latest.isPresent() && !spec.ruleBased() && latest.get().createdAt().plus(refitInterval).isAfter(now)) {
                continue;
            }
            boolean incremental = latest.isPresent() && spec.ruleBased() && latest.get().journeys().equals(s.journeys());
            Runs.Run run;
            try {
                run = runs.create(tenantId, spec, s.journeys(), now, "scheduled", incremental ? latest.get().id() : null);
            } catch (Runs.SeriesBusy e) {
                continue;
            }
            executor.execute(run);
            made.add(runs.find(tenantId, run.id()).orElseThrow());
        }
        return made;
    }
}
