package io.throughline.attribution.processing;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.throughline.attribution.client.IdentityCalls;
import io.throughline.attribution.client.TouchpointCalls;
import io.throughline.attribution.domain.journeys.Allocation;
import io.throughline.attribution.domain.journeys.AttributionSettings;
import io.throughline.attribution.domain.journeys.CreditLine;
import io.throughline.attribution.domain.journeys.DealFacts;
import io.throughline.attribution.domain.journeys.Journey;
import io.throughline.attribution.domain.journeys.JourneySettings;
import io.throughline.attribution.domain.journeys.Journeys;
import io.throughline.attribution.domain.models.AttributionResult;
import io.throughline.attribution.domain.models.ModelInputException;
import io.throughline.attribution.store.Deals;
import io.throughline.attribution.store.Runs;
import io.throughline.attribution.store.SettingsStore;
import io.throughline.commons.phone.PhoneCheck;
import io.throughline.contracts.identity.v1.IdentifierType;
import io.throughline.contracts.identity.v1.ResolveResponse;
import io.throughline.contracts.identity.v1.ResolvedIdentifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    private static final int BATCH = 1600;
    /** Persons whose touches are read together (their ids in one or a few calls). */
    private volatile int touchBatch = 200;
    /** Contacts resolved per BatchResolve call. */
    private volatile int resolveBatch = 500;

    private final Runs runs;
    private final Deals deals;
    private final SettingsStore settings;
    private final IdentityCalls identity;
    private final TouchpointCalls touchpoints;
    private final io.throughline.attribution.store.RunMarks marks;
    private final ExecutorService background = pool(2, "attribution-run");
    /** gRPC lookups of runs (identity, tracking, calltracking), in parallel: a run waits on the network, not the CPU. */
    private final ExecutorService lookups = pool(8, "attribution-lookup");
    /** Writes of runs' line batches, overlapping the next batch's lookups (each run waits for its previous write). */
    private final ExecutorService writer = pool(4, "attribution-run-writer");
    private static final int WRITES_IN_FLIGHT = 2;

    public RunExecutor(Runs runs, Deals deals, SettingsStore settings, IdentityCalls identity, TouchpointCalls touchpoints,
            io.throughline.attribution.store.RunMarks marks) {
        this.marks = marks;
        this.runs = runs;
        this.deals = deals;
        this.settings = settings;
        this.identity = identity;
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

    /** One person as this run sees them: their deals and the identifiers to find their touches by. */
    private record Person(String key, List<Deals.ForRun> deals, Set<String> visitors, Set<String> phones) {
    }

    private void compute(Runs.Run run) {
        long startedAt = System.nanoTime();
        AttributionSettings tenantSettings = settings.get(run.tenantId());
        JourneySettings journeys = run.journeys();
        List<Deals.ForRun> all = deals.forRun(run.tenantId(), run.cutoff(), tenantSettings);
        Runs.Run base = run.baseRunId() == null ? null : runs.find(run.tenantId(), run.baseRunId()).orElse(null);
        Map<UUID, String[]> baseDeals = base == null ? Map.of() : runs.baseDeals(base);

        // Deals that changed since the base (all of them without one) are resolved first; then the unchanged deals of
        // the people those changes touched, and of the people marked since the base was made (touches stored late,
        // calls or leads linked, merges and splits: see RunMarksFeed). Lookups run in parallel; grouping follows the
        // deals' order (determinism).
        List<Deals.ForRun> changed = new ArrayList<>();
        List<Deals.ForRun> unchanged = new ArrayList<>();
        for (Deals.ForRun d : all) {
            String[] before = baseDeals.get(d.facts().id());
            (base != null && before != null && !changedSince(d, Instant.parse(before[1]), base) ? unchanged : changed).add(d);
        }
        Map<String, Person> persons = new LinkedHashMap<>();
        Set<String> affected = new HashSet<>();
        List<Resolved> resolved = lookupAll(run.tenantId(), changed);
        for (int i = 0; i < changed.size(); i++) {
            affected.add(add(persons, changed.get(i), resolved.get(i)).key());
            String[] before = baseDeals.get(changed.get(i).facts().id());
            if (before != null) {
                affected.add(before[0]);
            }
        }
        if (base != null) {
            marks.since(run.tenantId(), base.createdAt()).forEach(id -> affected.add("person:" + id));
        }
        // Whoever such a deal's person is now (a merge may have moved it) is recomputed with every deal of theirs, so
        // the deals of the persons reached are looked up in turn until no new person is reached.
        Set<UUID> included = new HashSet<>();
        changed.forEach(d -> included.add(d.facts().id()));
        for (int round = 0; round < 100; round++) {
            List<Deals.ForRun> alsoAffected = unchanged.stream()
                    .filter(d -> !included.contains(d.facts().id()) && affected.contains(baseDeals.get(d.facts().id())[0])).toList();
            if (alsoAffected.isEmpty()) {
                break;
            }
            List<Resolved> more = lookupAll(run.tenantId(), alsoAffected);
            for (int i = 0; i < alsoAffected.size(); i++) {
                included.add(alsoAffected.get(i).facts().id());
                affected.add(add(persons, alsoAffected.get(i), more.get(i)).key());
            }
        }
        List<Person> people = new ArrayList<>(persons.values());
        if (base != null) {
            people.removeIf(p -> !affected.contains(p.key()));
        }
        runs.progress(run.id(), people.size(), 0);

        long resolvedAt = System.nanoTime();
        long touchNanos = 0;
        List<Journey> fitted = new ArrayList<>();
        List<Runs.RunDeal> pendingDeals = new ArrayList<>();
        Set<UUID> recomputed = new HashSet<>();
        // A rule-based batch's lines are written while the next batches' touches are read (two writes at a time at most,
        // each batch in its own transaction).
        java.util.ArrayDeque<java.util.concurrent.Future<?>> writing = new java.util.ArrayDeque<>();
        try {
            for (int start = 0; start < people.size(); start += BATCH) {
                List<Person> chunk = people.subList(start, Math.min(people.size(), start + BATCH));
                List<List<Person>> parts = new ArrayList<>();
                int touchBatch = this.touchBatch;
                for (int i = 0; i < chunk.size(); i += touchBatch) {
                    parts.add(chunk.subList(i, Math.min(chunk.size(), i + touchBatch)));
                }
                List<List<Journey>> chunkJourneys = new ArrayList<>();
                long t0 = System.nanoTime();
                parallel(parts, part -> journeysOf(run, part)).forEach(chunkJourneys::addAll);
                touchNanos += System.nanoTime() - t0;
                for (int i = 0; i < chunk.size(); i++) {
                    Person p = chunk.get(i);
                    Map<UUID, Instant> changedAt = new TreeMap<>();
                    p.deals().forEach(d -> changedAt.put(d.facts().id(), d.changedAt()));
                    FirstPayments first = firstPayments(p);
                    for (Journey j : chunkJourneys.get(i)) {
                        UUID deal = j.deal().id();
                        pendingDeals.add(new Runs.RunDeal(deal, p.key(), changedAt.get(deal), j, first.byDeal().get(deal), deal.equals(first.newCustomerDeal())));
                        recomputed.add(j.deal().id());
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
                        runs.progress(run.id(), people.size(), done);
                    }));
                } else {
                    runs.progress(run.id(), people.size(), start + chunk.size());
                }
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
        runs.finish(run, recomputed.toArray(UUID[]::new), base == null, explanation);
        LOG.infof("Attribution run %s (%s v%d): %d persons, %d deals; deals read and persons resolved in %d ms, touches read in %d ms,"
                + " touches read and lines written (overlapping) in %d ms, finished in %d ms", run.id(), run.series(), run.version(), people.size(), recomputed.size(),
                (resolvedAt - startedAt) / 1_000_000, touchNanos / 1_000_000, (written - resolvedAt) / 1_000_000,
                (System.nanoTime() - written) / 1_000_000);
    }

    private static void quietly(java.util.concurrent.Future<?> writing) {
        try {
            await(writing);
        } catch (RuntimeException ignored) {
            // the run fails with the first error already
        }
    }

    /** Waits for a background write; its failure fails the run. */
    private static void await(java.util.concurrent.Future<?> writing) {
        if (writing == null) {
            return;
        }
        try {
            writing.get();
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

    private static FirstPayments firstPayments(Person p) {
        Map<UUID, String> byDeal = new java.util.HashMap<>();
        UUID first = null;
        Instant firstAt = null;
        for (Deals.ForRun d : p.deals()) {
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
    private List<List<Journey>> journeysOf(Runs.Run run, List<Person> persons) {
        JourneySettings journeys = run.journeys();
        List<List<DealFacts>> facts = new ArrayList<>();
        List<TouchpointCalls.Who> who = new ArrayList<>();
        for (Person p : persons) {
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

    /** Who identity-service says each deal's contact is, in batches (one call and one store round trip each). */
    private List<Resolved> lookupAll(String tenantId, List<Deals.ForRun> all) {
        List<List<Deals.ForRun>> batches = new ArrayList<>();
        int resolveBatch = this.resolveBatch;
        for (int i = 0; i < all.size(); i += resolveBatch) {
            batches.add(all.subList(i, Math.min(all.size(), i + resolveBatch)));
        }
        List<Resolved> out = new ArrayList<>(all.size());
        parallel(batches, batch -> resolveBatch(tenantId, batch)).forEach(out::addAll);
        return out;
    }

    private List<Resolved> resolveBatch(String tenantId, List<Deals.ForRun> batch) {
        List<List<io.throughline.contracts.identity.v1.Identifier>> contacts = batch.stream().map(d -> IdentityCalls.identifiers(d.contact())).toList();
        List<Integer> asked = new ArrayList<>();
        List<List<io.throughline.contracts.identity.v1.Identifier>> nonEmpty = new ArrayList<>();
        for (int i = 0; i < contacts.size(); i++) {
            if (!contacts.get(i).isEmpty()) {
                asked.add(i);
                nonEmpty.add(contacts.get(i));
            }
        }
        List<Resolved> out = new ArrayList<>(java.util.Collections.nCopies(batch.size(), new Resolved("", List.of())));
        if (nonEmpty.isEmpty()) {
            return out;
        }
        List<ResolveResponse> answers = identity.resolveAll(tenantId, nonEmpty);
        for (int j = 0; j < asked.size(); j++) {
            out.set(asked.get(j), resolved(answers.get(j)));
        }
        return out;
    }

    /** {@code work} over the items on the lookup pool, answers in the items' order; the first failure fails the run. */
    private <T, R> List<R> parallel(List<T> items, java.util.function.Function<T, R> work) {
        List<java.util.concurrent.Future<R>> futures = new ArrayList<>(items.size());
        items.forEach(item -> futures.add(lookups.submit(() -> work.apply(item))));
        List<R> out = new ArrayList<>(items.size());
        try {
            for (java.util.concurrent.Future<R> f : futures) {
                out.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        return out;
    }

    private static boolean changedSince(Deals.ForRun d, Instant changedAtThen, Runs.Run base) {
        if (d.changedAt().isAfter(changedAtThen)) {
            return true;
        }
        DealFacts f = d.facts();
        for (Instant at : new Instant[] {f.createdAt(), f.opportunityAt(), f.wonAt()}) {
            if (at != null && at.isAfter(base.cutoff())) {
                return true;
            }
        }
        return f.money().stream().anyMatch(m -> m.at().isAfter(base.cutoff()));
    }

    private static Instant conversionOrCutoff(DealFacts f, JourneySettings journeys, Instant cutoff) {
        Instant at = f.conversionAt(journeys.conversionEvent());
        return at == null || at.isAfter(cutoff) ? cutoff : at;
    }

    /** Who identity-service says a deal's contact is: the person's key and visitor ids (empty key: unknown). */
    private record Resolved(String personId, List<String> visitors) {
    }

    private static Resolved resolved(ResolveResponse r) {
        if (!r.getFound()) {
            return new Resolved("", List.of());
        }
        List<String> visitors = new ArrayList<>();
        for (ResolvedIdentifier i : r.getIdentifiersList()) {
            if (i.getType() == IdentifierType.IDENTIFIER_TYPE_VISITOR_ID && !i.getValue().isBlank()) {
                visitors.add(i.getValue());
            }
        }
        return new Resolved(r.getPersonId(), visitors);
    }

    /** Adds the deal to its person (by identity-service, else the deal alone) with every visitor id and phone known for them. */
    private static Person add(Map<String, Person> persons, Deals.ForRun d, Resolved resolved) {
        String key = resolved.personId().isEmpty() ? "deal:" + d.facts().id() : "person:" + resolved.personId();
        Person p = persons.computeIfAbsent(key, k -> new Person(k, new ArrayList<>(), new LinkedHashSet<>(), new LinkedHashSet<>()));
        p.deals().add(d);
        p.visitors().addAll(resolved.visitors());
        if (d.contact().visitorId() != null) {
            p.visitors().add(d.contact().visitorId());
        }
        for (String phone : d.contact().phones()) {
            PhoneCheck.Result e164 = PhoneCheck.check(phone, "RU");
            if (e164.valid()) {
                p.phones().add(e164.e164());
            }
        }
        return p;
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
