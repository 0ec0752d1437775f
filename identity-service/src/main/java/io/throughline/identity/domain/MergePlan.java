package io.throughline.identity.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Decides what one link event does to the graph, without touching it: which identifiers join which person,
 * which persons merge into the oldest (whose id stays canonical), and which identifiers the guards refuse.
 */
public final class MergePlan {

    /** One normalized identifier of the event and what the graph already knows of it. */
    public record Candidate(IdentifierType type, String matchKey, UUID person, boolean quarantined, boolean suppressed,
            Set<String> uniqueIdsSeenWith) {
    }

    /** What the graph knows of a person the event touches. */
    public record PersonFacts(UUID id, Instant createdAt, Map<IdentifierType, Set<String>> uniqueIds,
            Map<IdentifierType, Integer> counts) {
    }

    public record Refusal(Candidate candidate, GuardReason reason) {
    }

    /**
     * The outcome. {@code survivor} is null when a new person must be created for {@code attached}.
     * {@code standalone} are unique identifiers refused for this person but kept, each as its own person.
     */
    public record Outcome(UUID survivor, List<UUID> absorbed, List<Candidate> attached, List<Candidate> standalone,
            List<Refusal> refused, List<Candidate> toQuarantine) {
    }

    public record Limits(int hubThreshold, Map<IdentifierType, Integer> perType) {

        public static Limits defaults(int hubThreshold) {
            Map<IdentifierType, Integer> perType = new EnumMap<>(IdentifierType.class);
            perType.put(IdentifierType.EMAIL, 5);
            perType.put(IdentifierType.PHONE, 5);
            perType.put(IdentifierType.VISITOR_ID, 50);
            perType.put(IdentifierType.GA_CLIENT_ID, 20);
            perType.put(IdentifierType.YM_CLIENT_ID, 20);
            perType.put(IdentifierType.CRM_CONTACT_ID, 1);
            perType.put(IdentifierType.USER_ID, 1);
            return new Limits(hubThreshold, perType);
        }
    }

    /** Which identifiers decide first when the persons an event touches cannot all be joined. */
    private static final List<IdentifierType> RANK = List.of(IdentifierType.CRM_CONTACT_ID, IdentifierType.USER_ID, IdentifierType.EMAIL,
            IdentifierType.PHONE, IdentifierType.VISITOR_ID, IdentifierType.GA_CLIENT_ID, IdentifierType.YM_CLIENT_ID);

    private MergePlan() {
    }

    public static Outcome plan(List<Candidate> candidates, Map<UUID, PersonFacts> persons, Limits limits) {
        List<Refusal> refused = new ArrayList<>();
        List<Candidate> quarantine = new ArrayList<>();
        List<Candidate> live = new ArrayList<>();
        Set<String> eventUniques = new HashSet<>();
        for (Candidate c : candidates) {
            if (c.type().unique() && !c.suppressed()) {
                eventUniques.add(c.type().code() + ":" + c.matchKey());
            }
        }
        for (Candidate c : candidates) {
            if (c.suppressed()) {
                refused.add(new Refusal(c, GuardReason.SUPPRESSED));
            } else if (c.quarantined()) {
                refused.add(new Refusal(c, GuardReason.QUARANTINED_HUB));
            } else if (!c.type().unique() && isHub(c, eventUniques, limits.hubThreshold())) {
                refused.add(new Refusal(c, GuardReason.QUARANTINED_HUB));
                quarantine.add(c);
            } else {
                live.add(c);
            }
        }

        // Groups: each existing person the event touches (oldest first), then the event's new identifiers.
        Map<UUID, List<Candidate>> byPerson = new LinkedHashMap<>();
        List<Candidate> fresh = new ArrayList<>();
        for (Candidate c : live) {
            if (c.person() == null) {
                fresh.add(c);
            } else {
                byPerson.computeIfAbsent(c.person(), p -> new ArrayList<>()).add(c);
            }
        }
        // Persons are taken in the rank of the identifiers that lead to them on this event (a CRM contact or user id, then
        // e-mail, phone, the cookies), oldest first within a rank. One whose joining would take the merged person past a
        // type's limit is refused (Segment's rule: the lowest-ranked identifiers give way), so a cookie shared by a family
        // computer or an office PC does not fold its users, and then everyone they meet, into one giant person.
        Map<UUID, Integer> rankOf = new HashMap<>();
        byPerson.forEach((id, cs) -> rankOf.put(id, cs.stream().mapToInt(c -> RANK.indexOf(c.type())).min().orElse(RANK.size())));
        List<PersonFacts> touched = byPerson.keySet().stream().map(persons::get)
                .sorted(Comparator.comparing((PersonFacts p) -> rankOf.get(p.id())).thenComparing(PersonFacts::createdAt)
                        .thenComparing(PersonFacts::id)).toList();

        Map<IdentifierType, String> uniques = new EnumMap<>(IdentifierType.class);
        Map<IdentifierType, Integer> counts = new EnumMap<>(IdentifierType.class);
        List<UUID> accepted = new ArrayList<>();
        List<Candidate> attached = new ArrayList<>();
        for (PersonFacts person : touched) {
            if (conflicts(uniques, person.uniqueIds())) {
                byPerson.get(person.id()).forEach(c -> refused.add(new Refusal(c, GuardReason.UNIQUE_CONFLICT)));
                continue;
            }
            if (!accepted.isEmpty() && overLimit(counts, person.counts(), limits)) {
                byPerson.get(person.id()).forEach(c -> refused.add(new Refusal(c, GuardReason.TYPE_LIMIT)));
                continue;
            }
            person.uniqueIds().forEach((type, keys) -> keys.forEach(k -> uniques.putIfAbsent(type, k)));
            person.counts().forEach((type, n) -> counts.merge(type, n, Integer::sum));
            accepted.add(person.id());
            attached.addAll(byPerson.get(person.id()));
        }
        // The oldest of the persons joined survives (its id is the one reports and audiences already know).
        accepted.sort(Comparator.comparing((UUID id) -> persons.get(id).createdAt()).thenComparing(id -> id));
        List<Candidate> standalone = new ArrayList<>();
        fresh.sort(Comparator.comparing((Candidate c) -> !c.type().unique()));
        for (Candidate c : fresh) {
            if (c.type().unique()) {
                String existing = uniques.get(c.type());
                if (existing != null && !existing.equals(c.matchKey())) {
                    refused.add(new Refusal(c, GuardReason.UNIQUE_CONFLICT));
                    standalone.add(c);
                    continue;
                }
                uniques.put(c.type(), c.matchKey());
            }
            int limit = limits.perType().getOrDefault(c.type(), Integer.MAX_VALUE);
            if (counts.getOrDefault(c.type(), 0) >= limit) {
                refused.add(new Refusal(c, GuardReason.TYPE_LIMIT));
                continue;
            }
            counts.merge(c.type(), 1, Integer::sum);
            attached.add(c);
        }
        UUID survivor = accepted.isEmpty() ? null : accepted.get(0);
        List<UUID> absorbed = accepted.size() > 1 ? accepted.subList(1, accepted.size()) : List.of();
        return new Outcome(survivor, List.copyOf(absorbed), attached, standalone, refused, quarantine);
    }

    /** Whether joining a person with {@code other}'s identifiers would take some type past its limit. */
    private static boolean overLimit(Map<IdentifierType, Integer> counts, Map<IdentifierType, Integer> other, Limits limits) {
        for (Map.Entry<IdentifierType, Integer> e : other.entrySet()) {
            if (counts.getOrDefault(e.getKey(), 0) + e.getValue() > limits.perType().getOrDefault(e.getKey(), Integer.MAX_VALUE)) {
                return true;
            }
        }
        return false;
    }

    /** A shared value: seen with more distinct unique ids (CRM contacts, user ids) than the threshold. */
    private static boolean isHub(Candidate c, Set<String> eventUniques, int threshold) {
        if (eventUniques.isEmpty()) {
            return false;
        }
        Set<String> seen = new HashSet<>(c.uniqueIdsSeenWith());
        seen.addAll(eventUniques);
        return seen.size() > threshold;
    }

    private static boolean conflicts(Map<IdentifierType, String> uniques, Map<IdentifierType, Set<String>> other) {
        for (Map.Entry<IdentifierType, Set<String>> e : other.entrySet()) {
            String mine = uniques.get(e.getKey());
            if (mine != null && e.getValue().stream().anyMatch(k -> !k.equals(mine))) {
                return true;
            }
        }
        return false;
    }
}
