package io.throughline.attribution.processing;

import io.throughline.attribution.client.IdentityCalls;
import io.throughline.attribution.domain.journeys.AttributionSettings;
import io.throughline.attribution.store.RunDeals;
import io.throughline.attribution.store.RunMarks;
import io.throughline.attribution.store.RunScratch;
import io.throughline.attribution.store.Runs;
import io.throughline.commons.phone.PhoneCheck;
import io.throughline.contracts.identity.v1.IdentifierType;
import io.throughline.contracts.identity.v1.ResolveResponse;
import io.throughline.contracts.identity.v1.ResolvedIdentifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

/**
 * Who a run recomputes: each deal's person as identity-service knows them now (resolved in batches, in parallel),
 * with every visitor id and phone to find their touches by. A full run takes everyone; a version with a base takes
 * the people whose deals changed, the people marked since the base (RunMarksFeed), and every deal of each person
 * reached that way. Deals are read a page at a time and who is recomputed is kept in PostgreSQL ({@link RunScratch}),
 * so the run's memory does not grow with the workspace.
 */
final class RunPeople {

    /** One person as this run sees them: their deals and the identifiers to find their touches by. */
    record Person(String key, List<RunDeals.ForRun> deals, Set<String> visitors, Set<String> phones) {
    }

    /** Deals read per page while resolving: one BatchResolve call per lookup thread. */
    private static final int PAGES_OF_BATCHES = 8;

    private final IdentityCalls identity;
    private final RunMarks marks;
    private final RunDeals deals;
    private final RunScratch scratch;
    private final ExecutorService lookups;

    RunPeople(IdentityCalls identity, RunMarks marks, RunDeals deals, RunScratch scratch, ExecutorService lookups) {
        this.identity = identity;
        this.marks = marks;
        this.deals = deals;
        this.scratch = scratch;
        this.lookups = lookups;
    }

    /**
     * Resolves the persons to recompute into the run's scratch; answers how many. Deals that changed since the base
     * (all of them without one) are resolved first; then the unchanged deals of the people those changes touched (their
     * person in the base and now), and of the people marked since the base was made (touches stored late, calls or leads
     * linked, merges and splits: see RunMarksFeed). Whoever such a deal's person is now (a merge may have moved it) is
     * recomputed with every deal of theirs, so the deals of the persons reached are taken in turn until no new one is.
     */
    int resolve(Runs.Run run, Runs.Run base, int resolveBatch) {
        if (base == null) {
            eachPage(run, null, RunDeals.Pick.ALL, resolveBatch, candidates -> take(run, candidates, resolveBatch, false));
            scratch.analyze();
            return scratch.persons(run.id());
        }
        eachPage(run, base, RunDeals.Pick.CHANGED_SINCE_BASE, resolveBatch, candidates -> take(run, candidates, resolveBatch, true));
        scratch.affect(run.id(), marks.since(run.tenantId(), base.createdAt()).stream().map(id -> "person:" + id).toList());
        for (int round = 0; round < 100; round++) {
            int[] taken = {0};
            eachPage(run, base, RunDeals.Pick.REACHED, resolveBatch, candidates -> taken[0] += take(run, candidates, resolveBatch, true));
            if (taken[0] == 0) {
                break;
            }
        }
        scratch.analyze();
        return scratch.persons(run.id());
    }

    /** The next persons of the run after {@code afterKey} (in key order), with their deals as they are now. */
    List<Person> next(Runs.Run run, AttributionSettings settings, String afterKey, int limit) {
        List<RunScratch.Entry> entries = scratch.nextPersons(run.id(), afterKey, limit);
        Map<UUID, RunDeals.ForRun> facts = new java.util.HashMap<>();
        deals.forRun(run.tenantId(), run.cutoff(), settings, entries.stream().map(RunScratch.Entry::dealId).toArray(UUID[]::new))
                .forEach(d -> facts.put(d.facts().id(), d));
        Map<String, Person> persons = new LinkedHashMap<>();
        for (RunScratch.Entry e : entries) {
            RunDeals.ForRun deal = facts.get(e.dealId());
            Person p = persons.computeIfAbsent(e.personKey(), k -> new Person(k, new ArrayList<>(), new LinkedHashSet<>(), new LinkedHashSet<>()));
            if (deal != null) {
                p.deals().add(deal);
            }
            p.visitors().addAll(e.visitors());
            p.phones().addAll(e.phones());
        }
        return List.copyOf(persons.values()); // a deal gone past the cut-off since leaves its person without deals: no journeys
    }

    /** The deals {@code pick} names, a page at a time (selected first in one statement for an incremental step). */
    private void eachPage(Runs.Run run, Runs.Run base, RunDeals.Pick pick, int resolveBatch, java.util.function.Consumer<List<RunDeals.Candidate>> page) {
        if (pick != RunDeals.Pick.ALL && deals.select(run, base, pick) == 0) {
            return;
        }
        int size = resolveBatch * PAGES_OF_BATCHES;
        UUID after = null;
        while (true) {
            List<RunDeals.Candidate> candidates = deals.toRun(run, pick, after, size);
            if (candidates.isEmpty()) {
                return;
            }
            page.accept(candidates);
            after = candidates.get(candidates.size() - 1).id();
            if (candidates.size() < size) {
                return;
            }
        }
    }

    /** Resolves these deals' persons and takes them into the run (and, incrementally, marks their persons then and now affected). */
    private int take(Runs.Run run, List<RunDeals.Candidate> candidates, int resolveBatch, boolean affect) {
        List<Resolved> resolved = lookupAll(run.tenantId(), candidates, resolveBatch);
        List<RunScratch.Entry> entries = new ArrayList<>(candidates.size());
        Set<String> affected = new HashSet<>();
        for (int i = 0; i < candidates.size(); i++) {
            RunScratch.Entry e = entry(candidates.get(i), resolved.get(i));
            entries.add(e);
            affected.add(e.personKey());
            if (candidates.get(i).basePersonKey() != null) {
                affected.add(candidates.get(i).basePersonKey());
            }
        }
        scratch.add(run.id(), entries);
        if (affect) {
            scratch.affect(run.id(), affected);
        }
        return entries.size();
    }

    /** Who identity-service says each deal's contact is, in batches (one call and one store round trip each). */
    private List<Resolved> lookupAll(String tenantId, List<RunDeals.Candidate> all, int resolveBatch) {
        List<List<RunDeals.Candidate>> batches = new ArrayList<>();
        for (int i = 0; i < all.size(); i += resolveBatch) {
            batches.add(all.subList(i, Math.min(all.size(), i + resolveBatch)));
        }
        List<Resolved> out = new ArrayList<>(all.size());
        parallel(lookups, batches, batch -> resolveBatch(tenantId, batch)).forEach(out::addAll);
        return out;
    }

    private List<Resolved> resolveBatch(String tenantId, List<RunDeals.Candidate> batch) {
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
    static <T, R> List<R> parallel(ExecutorService lookups, List<T> items, java.util.function.Function<T, R> work) {
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

    /** The deal as the run takes it: its person (by identity-service, else the deal alone), with every visitor id and phone known for them. */
    private static RunScratch.Entry entry(RunDeals.Candidate d, Resolved resolved) {
        String key = resolved.personId().isEmpty() ? "deal:" + d.id() : "person:" + resolved.personId();
        Set<String> visitors = new LinkedHashSet<>(resolved.visitors());
        if (d.contact().visitorId() != null) {
            visitors.add(d.contact().visitorId());
        }
        Set<String> phones = new LinkedHashSet<>();
        for (String phone : d.contact().phones()) {
            PhoneCheck.Result e164 = PhoneCheck.check(phone, "RU");
            if (e164.valid()) {
                phones.add(e164.e164());
            }
        }
        return new RunScratch.Entry(d.id(), key, List.copyOf(visitors), List.copyOf(phones));
    }
}
