package io.throughline.attribution.processing;

import io.throughline.attribution.client.IdentityCalls;
import io.throughline.attribution.domain.journeys.DealFacts;
import io.throughline.attribution.store.Deals;
import io.throughline.attribution.store.RunMarks;
import io.throughline.attribution.store.Runs;
import io.throughline.commons.phone.PhoneCheck;
import io.throughline.contracts.identity.v1.IdentifierType;
import io.throughline.contracts.identity.v1.ResolveResponse;
import io.throughline.contracts.identity.v1.ResolvedIdentifier;
import java.time.Instant;
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
 * reached that way.
 */
final class RunPeople {

    /** One person as this run sees them: their deals and the identifiers to find their touches by. */
    record Person(String key, List<Deals.ForRun> deals, Set<String> visitors, Set<String> phones) {
    }

    private final IdentityCalls identity;
    private final RunMarks marks;
    private final ExecutorService lookups;

    RunPeople(IdentityCalls identity, RunMarks marks, ExecutorService lookups) {
        this.identity = identity;
        this.marks = marks;
        this.lookups = lookups;
    }

    /** The persons to recompute, in the deals' order (determinism); {@code resolveBatch} contacts per BatchResolve. */
    List<Person> toRecompute(Runs.Run run, Runs.Run base, List<Deals.ForRun> all, Map<UUID, String[]> baseDeals, int resolveBatch) {
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
        List<Resolved> resolved = lookupAll(run.tenantId(), changed, resolveBatch);
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
            List<Resolved> more = lookupAll(run.tenantId(), alsoAffected, resolveBatch);
            for (int i = 0; i < alsoAffected.size(); i++) {
                included.add(alsoAffected.get(i).facts().id());
                affected.add(add(persons, alsoAffected.get(i), more.get(i)).key());
            }
        }
        List<Person> people = new ArrayList<>(persons.values());
        if (base != null) {
            people.removeIf(p -> !affected.contains(p.key()));
        }
        return people;
    }

    /** Who identity-service says each deal's contact is, in batches (one call and one store round trip each). */
    private List<Resolved> lookupAll(String tenantId, List<Deals.ForRun> all, int resolveBatch) {
        List<List<Deals.ForRun>> batches = new ArrayList<>();
        for (int i = 0; i < all.size(); i += resolveBatch) {
            batches.add(all.subList(i, Math.min(all.size(), i + resolveBatch)));
        }
        List<Resolved> out = new ArrayList<>(all.size());
        parallel(lookups, batches, batch -> resolveBatch(tenantId, batch)).forEach(out::addAll);
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
}
