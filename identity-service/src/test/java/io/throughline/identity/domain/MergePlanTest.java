package io.throughline.identity.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.throughline.identity.domain.MergePlan.Candidate;
import io.throughline.identity.domain.MergePlan.PersonFacts;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MergePlanTest {

    private static final UUID OLD = UUID.fromString("00000000-0000-7000-8000-000000000001");
    private static final UUID YOUNG = UUID.fromString("00000000-0000-7000-8000-000000000002");
    private static final MergePlan.Limits LIMITS = MergePlan.Limits.defaults(3);

    private static Candidate fresh(IdentifierType type, String key) {
        return new Candidate(type, key, null, false, false, Set.of());
    }

    private static Candidate of(IdentifierType type, String key, UUID person) {
        return new Candidate(type, key, person, false, false, Set.of());
    }

    private static PersonFacts person(UUID id, String created, Map<IdentifierType, Set<String>> uniques, Map<IdentifierType, Integer> counts) {
        return new PersonFacts(id, Instant.parse(created), new HashMap<>(uniques), new HashMap<>(counts));
    }

    @Test
    void anEventOfUnknownIdentifiersMakesANewPerson() {
        MergePlan.Outcome plan = MergePlan.plan(List.of(fresh(IdentifierType.VISITOR_ID, "v"), fresh(IdentifierType.EMAIL, "e")), Map.of(), LIMITS);
        assertNull(plan.survivor());
        assertEquals(2, plan.attached().size());
        assertTrue(plan.refused().isEmpty());
    }

    @Test
    void twoPersonsMergeIntoTheOldest() {
        Map<UUID, PersonFacts> persons = Map.of(
                OLD, person(OLD, "2026-01-01T00:00:00Z", Map.of(), Map.of(IdentifierType.VISITOR_ID, 1)),
                YOUNG, person(YOUNG, "2026-02-01T00:00:00Z", Map.of(), Map.of(IdentifierType.EMAIL, 1)));
        MergePlan.Outcome plan = MergePlan.plan(List.of(of(IdentifierType.EMAIL, "e", YOUNG), of(IdentifierType.VISITOR_ID, "v", OLD),
                fresh(IdentifierType.PHONE, "p")), persons, LIMITS);
        assertEquals(OLD, plan.survivor());
        assertEquals(List.of(YOUNG), plan.absorbed());
        assertEquals(3, plan.attached().size());
    }

    @Test
    void twoCrmContactsNeverMeet() {
        Map<UUID, PersonFacts> persons = Map.of(
                OLD, person(OLD, "2026-01-01T00:00:00Z", Map.of(IdentifierType.CRM_CONTACT_ID, Set.of("c1")), Map.of(IdentifierType.CRM_CONTACT_ID, 1)),
                YOUNG, person(YOUNG, "2026-02-01T00:00:00Z", Map.of(IdentifierType.CRM_CONTACT_ID, Set.of("c2")), Map.of(IdentifierType.CRM_CONTACT_ID, 1)));
        MergePlan.Outcome plan = MergePlan.plan(List.of(of(IdentifierType.EMAIL, "e", OLD), of(IdentifierType.PHONE, "p", YOUNG)), persons, LIMITS);
        assertEquals(OLD, plan.survivor());
        assertTrue(plan.absorbed().isEmpty());
        assertEquals(GuardReason.UNIQUE_CONFLICT, plan.refused().get(0).reason());
        assertEquals("p", plan.refused().get(0).candidate().matchKey());
    }

    @Test
    void aSecondCrmContactInOneEventStandsAlone() {
        Map<UUID, PersonFacts> persons = Map.of(OLD, person(OLD, "2026-01-01T00:00:00Z",
                Map.of(IdentifierType.CRM_CONTACT_ID, Set.of("c1")), Map.of(IdentifierType.CRM_CONTACT_ID, 1)));
        MergePlan.Outcome plan = MergePlan.plan(List.of(of(IdentifierType.EMAIL, "e", OLD), fresh(IdentifierType.CRM_CONTACT_ID, "c2")),
                persons, LIMITS);
        assertEquals(OLD, plan.survivor());
        assertEquals(1, plan.standalone().size());
        assertEquals(GuardReason.UNIQUE_CONFLICT, plan.refused().get(0).reason());
    }

    @Test
    void aValueSeenWithMoreThanThreeContactsIsQuarantined() {
        Candidate shared = new Candidate(IdentifierType.EMAIL, "office", OLD, false, false,
                Set.of("crm_contact_id:c1", "crm_contact_id:c2", "crm_contact_id:c3"));
        MergePlan.Outcome plan = MergePlan.plan(List.of(shared, fresh(IdentifierType.CRM_CONTACT_ID, "c4")),
                Map.of(OLD, person(OLD, "2026-01-01T00:00:00Z", Map.of(), Map.of())), LIMITS);
        assertEquals(List.of(shared), plan.toQuarantine());
        assertEquals(GuardReason.QUARANTINED_HUB, plan.refused().get(0).reason());
        assertNull(plan.survivor());
    }

    @Test
    void typeLimitsStopANewIdentifierNotTheLink() {
        Map<UUID, PersonFacts> persons = Map.of(OLD, person(OLD, "2026-01-01T00:00:00Z", Map.of(), Map.of(IdentifierType.EMAIL, 5)));
        MergePlan.Outcome plan = MergePlan.plan(List.of(of(IdentifierType.VISITOR_ID, "v", OLD), fresh(IdentifierType.EMAIL, "e6")), persons, LIMITS);
        assertEquals(OLD, plan.survivor());
        assertEquals(GuardReason.TYPE_LIMIT, plan.refused().get(0).reason());
        assertEquals(1, plan.attached().size());
    }

    @Test
    void aSharedComputerDoesNotFoldItsUsersIntoOnePerson() {
        // OLD: the person of an office PC's cookie, with the five e-mails of the people who filled forms on it (their limit).
        Map<UUID, PersonFacts> persons = Map.of(
                OLD, person(OLD, "2026-01-01T00:00:00Z", Map.of(), Map.of(IdentifierType.VISITOR_ID, 1, IdentifierType.EMAIL, 5)),
                YOUNG, person(YOUNG, "2026-02-01T00:00:00Z", Map.of(), Map.of(IdentifierType.EMAIL, 1, IdentifierType.VISITOR_ID, 2)));
        MergePlan.Outcome plan = MergePlan.plan(List.of(of(IdentifierType.VISITOR_ID, "office-pc", OLD), of(IdentifierType.EMAIL, "olga", YOUNG),
                fresh(IdentifierType.PHONE, "p")), persons, LIMITS);
        assertEquals(YOUNG, plan.survivor(), "the e-mail outranks the cookie: the lead is Olga's");
        assertTrue(plan.absorbed().isEmpty(), "the office PC's person is not merged in");
        assertEquals(List.of("office-pc"), plan.refused().stream().map(r -> r.candidate().matchKey()).toList());
        assertEquals(GuardReason.TYPE_LIMIT, plan.refused().get(0).reason());
        assertEquals(List.of("olga", "p"), plan.attached().stream().map(Candidate::matchKey).toList());
    }

    @Test
    void personsWithinTheLimitsStillMergeIntoTheOldestWhicheverIdentifierRanksFirst() {
        Map<UUID, PersonFacts> persons = Map.of(
                OLD, person(OLD, "2026-01-01T00:00:00Z", Map.of(), Map.of(IdentifierType.VISITOR_ID, 3, IdentifierType.EMAIL, 2)),
                YOUNG, person(YOUNG, "2026-02-01T00:00:00Z", Map.of(), Map.of(IdentifierType.EMAIL, 3)));
        MergePlan.Outcome plan = MergePlan.plan(List.of(of(IdentifierType.VISITOR_ID, "v", OLD), of(IdentifierType.EMAIL, "e", YOUNG)), persons, LIMITS);
        assertEquals(OLD, plan.survivor());
        assertEquals(List.of(YOUNG), plan.absorbed());
        assertTrue(plan.refused().isEmpty());
    }

    @Test
    void suppressedAndQuarantinedValuesAreRefused() {
        MergePlan.Outcome plan = MergePlan.plan(List.of(new Candidate(IdentifierType.EMAIL, "gone", null, false, true, Set.of()),
                new Candidate(IdentifierType.PHONE, "hub", null, true, false, Set.of()), fresh(IdentifierType.VISITOR_ID, "v")), Map.of(), LIMITS);
        assertEquals(List.of(GuardReason.SUPPRESSED, GuardReason.QUARANTINED_HUB), plan.refused().stream().map(MergePlan.Refusal::reason).toList());
        assertEquals(1, plan.attached().size());
    }

    @Test
    void componentsSplitWhereEdgesAreMissing() {
        List<List<Long>> groups = Components.of(List.of(1L, 2L, 3L, 4L), List.of(new long[] {1, 2}, new long[] {3, 4}));
        assertEquals(List.of(List.of(1L, 2L), List.of(3L, 4L)), groups);
        assertEquals(1, Components.of(List.of(1L, 2L, 3L), List.of(new long[] {1, 3}, new long[] {2, 3})).size());
    }
}
