package io.throughline.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.throughline.commons.phone.PhoneCheck;
import io.throughline.devstack.DemoPlan.Deal;
import io.throughline.devstack.DemoPlan.Event;
import io.throughline.devstack.DemoPlan.Visit;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The demo generator: the same seed gives the same plan, a scale multiplies it, and each story's figures hold to the kopeck. */
class DemoStoriesTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 12, 6);

    @Test
    void theSameSeedGivesTheSamePlanAndAnotherSeedAnotherOne() {
        DemoPlan a = DemoStories.school("acme", 7, 1, TODAY);
        DemoPlan b = DemoStories.school("acme", 7, 1, TODAY);
        DemoPlan c = DemoStories.school("acme", 8, 1, TODAY);
        assertEquals(a.visits(), b.visits());
        assertEquals(a.deals(), b.deals());
        assertEquals(a.spend(), b.spend());
        assertNotEquals(a.visits(), c.visits());
    }

    @Test
    void theSchoolsGenericSearchIsMetricsMdsWorkedExampleAtAnyScale() {
        for (int scale : new int[] {1, 3}) {
            DemoPlan plan = DemoStories.school("acme", 2026, scale, TODAY);
            long raw = plan.rawLeadsOf("generic_search");
            assertEquals(300L * scale, raw);
            long cost = plan.spendOf("generic_search");
            assertEquals(800_00L * raw, cost, "800 roubles a raw lead");
            // the ad cabinet's belief: every raw lead converts at 15 % with a 25,000-rouble check
            assertEquals(new BigDecimal("368.75"), romi(raw * 25_000_00L * 15 / 100, cost));
            Set<String> visitors = visitorsOf(plan, "generic_search");
            long paid = plan.paidBy(visitors);
            assertEquals(18_500_00L * 18 * scale, paid);
            assertEquals(18L * scale, plan.deals().stream().filter(d -> visitors.contains(d.visitorId()) && !d.payments().isEmpty()).count());
            assertEquals(new BigDecimal("38.75"), romi(paid, cost), "the school sells courses without a cost of goods");
        }
    }

    @Test
    void retargetingReachesPeopleWhoHadAlreadyPaid() {
        DemoPlan plan = DemoStories.school("acme", 2026, 1, TODAY);
        Map<String, Instant> firstPayment = new HashMap<>();
        for (Deal d : plan.deals()) {
            d.payments().stream().map(DemoPlan.Payment::at).min(Instant::compareTo).ifPresent(at -> firstPayment.merge(d.email() == null ? d.phone() : d.email(),
                    at, (x, y) -> x.isBefore(y) ? x : y));
        }
        long returning = plan.visits().stream().filter(v -> v.events().getFirst().url().contains("utm_campaign=retargeting"))
                .flatMap(v -> v.events().stream()).filter(e -> e.type().equals("lead"))
                .filter(e -> firstPayment.containsKey(e.email()) && firstPayment.get(e.email()).isBefore(e.at())).count();
        assertEquals(40, returning);
        assertEquals(50, plan.rawLeadsOf("retargeting"));
        assertEquals(800_00L * 50, plan.spendOf("retargeting"));
    }

    @Test
    void thePrintingHousesCampaignLosesOnFirstPurchasesAndPaysBackThroughRepeatOrders() {
        DemoPlan plan = DemoStories.printingHouse("globex", 2026, 2, TODAY);
        Set<String> visitors = visitorsOf(plan, "business_cards");
        long first = plan.paidBy(visitors);
        long cost = plan.spendOf("business_cards");
        assertEquals(2 * 50_000_00L, cost);
        assertEquals(2 * 40_000_00L, first);
        assertEquals(new BigDecimal("-20.00"), romi(first, cost));
        Set<String> customers = plan.deals().stream().filter(d -> visitors.contains(d.visitorId()) && !d.payments().isEmpty()).map(Deal::email)
                .collect(Collectors.toSet());
        assertEquals(40, customers.size());
        long repeat = plan.deals().stream().filter(d -> d.visitorId() == null && customers.contains(d.email()))
                .flatMap(d -> d.payments().stream()).mapToLong(DemoPlan.Payment::kopecks).sum();
        assertEquals(2 * 500_000_00L, repeat);
        assertTrue(plan.spend().stream().filter(s -> s.campaign().equals("business_cards")).allMatch(s -> s.day().isBefore(TODAY.minusDays(330))),
                "the campaign ran a year ago, for a month");
    }

    @Test
    void everyEventIsInThePastWithinTheImportWindowWithDistinctIdsAndPeople() {
        for (DemoPlan plan : List.of(DemoStories.school("acme", 2026, 1, TODAY), DemoStories.printingHouse("globex", 2026, 1, TODAY))) {
            Instant end = TODAY.plusDays(1).atStartOfDay(DemoStories.ZONE).toInstant();
            Instant start = end.minus(366, ChronoUnit.DAYS);
            Set<String> ids = new HashSet<>();
            Map<String, String> phoneOwner = new HashMap<>();
            for (Visit v : plan.visits()) {
                for (Event e : v.events()) {
                    assertTrue(e.at().isAfter(start) && e.at().isBefore(end), e.toString());
                    assertTrue(ids.add(e.id()), "event ids are distinct: " + e.id());
                    if (e.type().equals("lead") && !e.email().endsWith("@mailinator.com")) {
                        String owner = phoneOwner.putIfAbsent(e.phone(), e.email());
                        assertTrue(owner == null || owner.equals(e.email()), "one phone, one person: " + e.phone());
                        // a placeholder-looking number (+7 916 200-00-00) would make a clean lead junk and change the stories' counts
                        assertEquals(null, PhoneCheck.check(e.phone(), "RU").problem(), "a phone a form accepts: " + e.phone());
                    }
                }
            }
            for (Deal d : plan.deals()) {
                assertTrue(d.amountKopecks() > 0 && d.costKopecks() >= 0 && d.costKopecks() < d.amountKopecks(), d.toString());
                assertTrue(d.payments().stream().allMatch(p -> p.at().isBefore(end) && p.at().isAfter(d.createdAt())), d.toString());
                assertTrue(ids.add(d.id()), "deal ids are distinct");
            }
        }
    }

    private static Set<String> visitorsOf(DemoPlan plan, String campaign) {
        return plan.visits().stream().filter(v -> v.events().getFirst().url().contains("utm_campaign=" + campaign + "&")).map(Visit::visitorId)
                .collect(Collectors.toSet());
    }

    private static BigDecimal romi(long value, long cost) {
        return BigDecimal.valueOf(value - cost).multiply(BigDecimal.valueOf(100)).divide(BigDecimal.valueOf(cost), 2, RoundingMode.HALF_EVEN);
    }
}
