package io.throughline.attribution.processing;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.throughline.attribution.client.IdentityCalls;
import io.throughline.attribution.client.TouchpointCalls;
import io.throughline.attribution.domain.journeys.Allocation;
import io.throughline.attribution.domain.journeys.AttributionSettings;
import io.throughline.attribution.domain.journeys.DealFacts;
import io.throughline.attribution.domain.journeys.Journey;
import io.throughline.attribution.domain.journeys.JourneySettings;
import io.throughline.attribution.domain.journeys.Journeys;
import io.throughline.attribution.domain.models.AttributionResult;
import io.throughline.attribution.domain.models.ModelInputException;
import io.throughline.attribution.store.RunDeals;
import io.throughline.attribution.store.Runs;
import io.throughline.attribution.store.SettingsStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Executes attribution runs: reads the deals up to the cut-off, resolves each deal's person in identity-service,
 * gathers the person's sessions and calls, cuts journeys and writes per-touch credits. A version with a base
 * (rule-based models only: each journey is weighed on its own) recomputes only the people whose deals changed and
 * copies the rest from the base. Progress is kept on the run (persons done of total).
 */
@ApplicationScoped
public class RunExecutor {

    private static final Logger LOG = Logger.getLogger(RunExecutor.class);
    /** Touch calls per batch of persons: a batch is {@code touchBatch} times this many persons (1,600). */
    private static final int TOUCH_CALLS_PER_BATCH = 8;
    /** Persons whose touches are read together (their ids in one or a few calls). */
    private volatile int touchBatch = 200;
    /** Contacts resolved per BatchResolve call. */
    private volatile int resolveBatch = 500;

    private final Runs runs;
    private final SettingsStore settings;
    private final TouchpointCalls touchpoints;
    private final RunPeople people;
    private final ExecutorService background = pool(2, "attribution-run");
    /** gRPC lookups of runs (identity, tracking, calltracking), in parallel: a run waits on the network, not the CPU. */
    private final ExecutorService lookups = pool(8, "attribution-lookup");
    /** Writes of runs' line batches, overlapping the next batch's lookups (each run waits for its previous write). */
    private final ExecutorService writer = pool(4, "attribution-run-writer");
    private static final int WRITES_IN_FLIGHT = 2;

    public RunExecutor(Runs runs, RunDeals deals, SettingsStore settings, IdentityCalls identity, TouchpointCalls touchpoints,
            io.throughline.attribution.store.RunMarks marks, io.throughline.attribution.store.RunScratch scratch) {
        this.people = new RunPeople(identity, marks, deals, scratch, lookups);
        this.runs = runs;
        this.settings = settings;
        this.touchpoints = touchpoints;
    }

    void start(@Observes StartupEvent event) {
        int failed = runs.failInterrupted();
        if (failed > 0) {
            LOG.infof("%d attribution runs interrupted by the last shutdown marked failed", failed);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        background.shutdownNow();
        lookups.shutdownNow();
        writer.shutdownNow();
    }

    private static ExecutorService pool(int threads, String name) {
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * How many contacts go in one BatchResolve and how many persons' touches are read together. {@code (1, 1)} is the
     * person-by-person path (one lookup of each kind per person), which a batched run must equal (tests compare them).
     */
    public void lookupBatches(int resolve, int touches) {
        if (resolve < 1 || resolve > 1000 || touches < 1 || touches > 1000) {
            throw new IllegalArgumentException("batch sizes are 1..1000");
        }
        this.resolveBatch = resolve;
        this.touchBatch = touches;
    }

    /** Runs it in the background; the run's status and progress tell how it goes. */
    public void submit(Runs.Run run) {
        background.submit(() -> execute(run));
    }

    /** Runs it here and now; never throws: a failure is recorded on the run. */
    public void execute(Runs.Run run) {
        try {
            compute(run);
        } catch (ModelInputException e) {
            runs.fail(run.id(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warnf("Attribution run %s failed: %s", run.id(), e.toString());
            runs.fail(run.id(), "failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private void compute(Runs.Run run) {
        long startedAt = System.nanoTime();
        AttributionSettings tenantSettings = settings.get(run.tenantId());
        JourneySettings journeys = run.journeys();
        Runs.Run base = run.baseRunId() == null ? null : runs.find(run.tenantId(), run.baseRunId()).orElse(null);
        int total = people.resolve(run, base, resolveBatch);
        runs.progress(run.id(), total, 0);

        long resolvedAt = System.nanoTime();
        long touchNanos = 0;
        long readNanos = 0;
        List<Journey> fitted = new ArrayList<>();
        List<Runs.RunDeal> pendingDeals = new ArrayList<>();
        int recomputed = 0;
        // A rule-based batch's lines are written while the next batches' touches are read (two writes at a time at most,
        // each batch in its own transaction).
        java.util.ArrayDeque<java.util.concurrent.Future<?>> writing = new java.util.ArrayDeque<>();
        try {
            int start = 0;
            int touchBatch = this.touchBatch;
            int batch = touchBatch * TOUCH_CALLS_PER_BATCH;
            // The next batch of persons and their deals is read while this one's touches are read and its lines written.
            java.util.concurrent.Future<List<RunPeople.Person>> reading = lookups.submit(() -> people.next(run, tenantSettings, "", batch));
            while (true) {
                long r0 = System.nanoTime();
                List<RunPeople.Person> chunk = await(reading);
                readNanos += System.nanoTime() - r0;
                if (chunk.isEmpty()) {
                    break;
                }
                String after = chunk.get(chunk.size() - 1).key();
                reading = chunk.size() < batch ? java.util.concurrent.CompletableFuture.completedFuture(List.of())
                        : lookups.submit(() -> people.next(run, tenantSettings, after, batch));
                List<List<RunPeople.Person>> parts = new ArrayList<>();
                for (int i = 0; i < chunk.size(); i += touchBatch) {
                    parts.add(chunk.subList(i, Math.min(chunk.size(), i + touchBatch)));
                }
                List<List<Journey>> chunkJourneys = new ArrayList<>();
                long t0 = System.nanoTime();
                RunPeople.parallel(lookups, parts, part -> journeysOf(run, part)).forEach(chunkJourneys::addAll);
                touchNanos += System.nanoTime() - t0;
                for (int i = 0; i < chunk.size(); i++) {
                    RunPeople.Person p = chunk.get(i);
                    Map<UUID, Instant> changedAt = new TreeMap<>();
                    p.deals().forEach(d -> changedAt.put(d.facts().id(), d.changedAt()));
                    FirstPayments first = firstPayments(p);
                    for (Journey j : chunkJourneys.get(i)) {
                        UUID deal = j.deal().id();
                        pendingDeals.add(new Runs.RunDeal(deal, p.key(), changedAt.get(deal), j, first.byDeal().get(deal), deal.equals(first.newCustomerDeal())));
                        recomputed++;
                        fitted.add(j);
                    }
                }
                if (run.spec().ruleBased()) {
                    List<Runs.RunDeal> batchDeals = new ArrayList<>(pendingDeals);
                    List<Journey> batchJourneys = new ArrayList<>(fitted);
                    pendingDeals.clear();
                    fitted.clear();
                    if (writing.size() >= WRITES_IN_FLIGHT) {
                        await(writing.poll());
                    }
                    int done = start + chunk.size();
                    writing.add(writer.submit(() -> {
                        runs.write(run, batchDeals, Allocation.allocate(run.spec(), batchJourneys).lines());
                        runs.progress(run.id(), total, done);
                    }));
                } else {
                    runs.progress(run.id(), total, start + chunk.size());
                }
                start += chunk.size();
            }
            while (!writing.isEmpty()) {
                await(writing.poll());
            }
        } catch (RuntimeException e) {
            // Writes still in flight must be over before the run is marked failed (a failed run keeps no lines).
            writing.forEach(RunExecutor::quietly);
            throw e;
        }
        Map<String, Object> explanation = null;
        if (!run.spec().ruleBased()) {
            Allocation.Result result = Allocation.allocate(run.spec(), fitted);
            runs.write(run, pendingDeals, result.lines());
            explanation = explain(result.fitted());
        }
        long written = System.nanoTime();
        runs.finish(run, base == null, explanation);
        LOG.infof("Attribution run %s (%s v%d): %d persons, %d deals; deals read and persons resolved in %d ms, waited for persons' deals %d ms,"
                + " touches read in %d ms, all three and lines written (overlapping) in %d ms, finished in %d ms", run.id(), run.series(), run.version(),
                total, recomputed, (resolvedAt - startedAt) / 1_000_000, readNanos / 1_000_000, touchNanos / 1_000_000, (written - resolvedAt) / 1_000_000,
                (System.nanoTime() - written) / 1_000_000);
    }

    private static void quietly(java.util.concurrent.Future<?> writing) {
        try {
            await(writing);
        } catch (RuntimeException ignored) {
            // the run fails with the first error already
        }
    }

    /** Waits for a background read or write; its failure fails the run. */
    private static <T> T await(java.util.concurrent.Future<T> work) {
        if (work == null) {
            return null;
        }
        try {
            return work.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** Each deal's first payment, and the deal holding the person's first payment of all (the one that made them a customer). */
    private record FirstPayments(Map<UUID, String> byDeal, UUID newCustomerDeal) {
    }

    private static FirstPayments firstPayments(RunPeople.Person p) {
        Map<UUID, String> byDeal = new java.util.HashMap<>();
        UUID first = null;
        Instant firstAt = null;
        for (RunDeals.ForRun d : p.deals()) {
            for (io.throughline.attribution.domain.journeys.DealFacts.MoneyEvent m : d.facts().money()) {
                if (m.amountMinor() > 0) {
                    byDeal.put(d.facts().id(), m.id());
                    boolean earlier = firstAt == null || m.at().isBefore(firstAt)
                            || m.at().equals(firstAt) && d.facts().id().toString().compareTo(first.toString()) < 0;
                    if (earlier) {
                        first = d.facts().id();
                        firstAt = m.at();
                    }
                    break;
                }
            }
        }
        return new FirstPayments(byDeal, first);
    }

    /**
     * The persons' journeys, one per deal, from their sessions and calls: the touches of all of them are read in a few
     * calls (tracking and calltracking take up to 1,000 ids each), then split by person.
     */
    private List<List<Journey>> journeysOf(Runs.Run run, List<RunPeople.Person> persons) {
        JourneySettings journeys = run.journeys();
        List<List<DealFacts>> facts = new ArrayList<>();
        List<TouchpointCalls.Who> who = new ArrayList<>();
        for (RunPeople.Person p : persons) {
            List<DealFacts> f = p.deals().stream().map(d -> d.facts().withPerson(p.key())).toList();
            Instant from = f.stream().map(x -> conversionOrCutoff(x, journeys, run.cutoff())).min(Instant::compareTo).orElse(run.cutoff())
                    .minus(java.time.Duration.ofDays(journeys.lookbackDays()));
            facts.add(f);
            who.add(new TouchpointCalls.Who(List.copyOf(p.visitors()), List.copyOf(p.phones()), from));
        }
        List<List<io.throughline.attribution.domain.journeys.Touch>> touches = touchpoints.touchesOfMany(run.tenantId(), who, run.cutoff().plusMillis(1));
        List<List<Journey>> out = new ArrayList<>();
        for (int i = 0; i < persons.size(); i++) {
            out.add(Journeys.of(facts.get(i), touches.get(i), journeys, run.cutoff()));
        }
        return out;
    }

    private static Instant conversionOrCutoff(DealFacts f, JourneySettings journeys, Instant cutoff) {
        Instant at = f.conversionAt(journeys.conversionEvent());
        return at == null || at.isAfter(cutoff) ? cutoff : at;
    }

    private static Map<String, Object> explain(AttributionResult fitted) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("channel_credits", fitted.credits());
        if (fitted.removalEffects() != null) {
            out.put("removal_effects", fitted.removalEffects());
        }
        if (fitted.transitionMatrix() != null) {
            out.put("transition_matrix", fitted.transitionMatrix());
        }
        if (fitted.shapleyValues() != null) {
            out.put("shapley_values", fitted.shapleyValues());
        }
        return out;
    }
}
