package io.throughline.attribution.runs;

import static io.restassured.RestAssured.given;
import static io.throughline.testkit.GrpcTestCalls.asService;
import static io.throughline.testkit.GrpcTestCalls.await;
import static io.throughline.testkit.GrpcTestCalls.statusOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.throughline.attribution.processing.RunScheduler;
import io.throughline.contracts.attribution.v1.CreditTotal;
import io.throughline.contracts.attribution.v1.CreditTotalsChunk;
import io.throughline.contracts.attribution.v1.DealChange;
import io.throughline.contracts.attribution.v1.ListDealChangesRequest;
import io.throughline.contracts.attribution.v1.ListDealChangesResponse;
import io.throughline.contracts.attribution.v1.ListSeriesRequest;
import io.throughline.contracts.attribution.v1.MutinyAttributionServiceGrpc.MutinyAttributionServiceStub;
import io.throughline.contracts.attribution.v1.RunDeal;
import io.throughline.contracts.attribution.v1.RunDealsChunk;
import io.throughline.contracts.attribution.v1.SeriesVersion;
import io.throughline.contracts.attribution.v1.StreamCreditTotalsRequest;
import io.throughline.contracts.attribution.v1.StreamRunDealsRequest;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What reporting-service reads: series versions, credit totals in full and as changes, journeys, deal changes. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_attribution_test"))
class ReportingFeedsTest {

    @Inject
    RunScheduler scheduler;

    @GrpcClient("self")
    MutinyAttributionServiceStub attribution;

    private MutinyAttributionServiceStub service() {
        return asService(attribution, "reporting-service");
    }

    private List<CreditTotalsChunk> totals(String tenant, String series, int after) {
        return service().streamCreditTotals(StreamCreditTotalsRequest.newBuilder().setTenantId(tenant).setSeries(series).setAfterVersion(after)
                .setTimeZone("Europe/Moscow").build()).collect().asList().await().atMost(Duration.ofSeconds(20));
    }

    /** Totals keyed by day, keys and currency: revenue, paid deals, new customers. */
    private static Map<String, BigDecimal[]> fold(Map<String, BigDecimal[]> into, List<CreditTotalsChunk> chunks) {
        for (CreditTotalsChunk chunk : chunks) {
            for (CreditTotal t : chunk.getTotalsList()) {
                String key = t.getDay() + "|" + t.getChannel() + "|" + t.getCampaign().getSource() + "|" + t.getCampaign().getCampaign() + "|"
                        + t.getCampaign().getTerm() + "|" + t.getCurrency();
                BigDecimal[] sums = into.computeIfAbsent(key, k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
                sums[0] = sums[0].add(new BigDecimal(t.getRevenueMinor()));
                sums[1] = sums[1].add(BigDecimal.valueOf(t.getPaidDeals()));
                sums[2] = sums[2].add(BigDecimal.valueOf(t.getNewCustomers()));
                sums[3] = sums[3].add(BigDecimal.valueOf(t.getConversions()));
            }
        }
        into.values().removeIf(v -> v[0].signum() == 0 && v[1].abs().compareTo(new BigDecimal("1e-9")) < 0 && v[2].abs().compareTo(new BigDecimal("1e-9")) < 0
                && v[3].abs().compareTo(new BigDecimal("1e-9")) < 0);
        return into;
    }

    private static BigDecimal column(Map<String, BigDecimal[]> totals, int i) {
        return totals.values().stream().map(v -> v[i]).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Test
    void aChangeSinceAnEarlierVersionAddedToItsTotalsGivesTheNewVersionsTotals() {
        String tenant = "feeds-totals";
        RunFixtures.workspace(tenant);
        given().auth().oauth2(TestTokens.user(tenant, "admin")).contentType(ContentType.JSON)
                .body("{\"conversion_event\": \"payment\", \"lookback_days\": 90, \"models\": [{\"model\": \"linear\"}], \"default_model\": \"linear\"}")
                .when().put("/api/attribution/settings").then().statusCode(200);
        scheduler.refresh(tenant);
        SeriesVersion v1 = await(service().listSeries(ListSeriesRequest.newBuilder().setTenantId(tenant).build())).getSeries(0);
        assertEquals("linear", v1.getSeries());
        assertTrue(v1.getIsDefault());
        List<CreditTotalsChunk> first = totals(tenant, "linear", 0);
        assertTrue(first.get(0).getHeader().getFull());
        Map<String, BigDecimal[]> held = fold(new TreeMap<>(), first);
        // d1: 10,000 + 5,000 - 1,000; d3: 3,000 (roubles, in kopecks); two paid deals, two new customers.
        assertEquals(1_700_000, column(held, 0).doubleValue(), 0.01, "kopecks, shares of money kept to 6 decimals");
        assertEquals(2.0, column(held, 1).doubleValue(), 1e-9);
        assertEquals(2.0, column(held, 2).doubleValue(), 1e-9);

        // Person 1 pays a second deal (a repeat purchase: a paid deal, not a new customer), and d1 gets another payment.
        RunFixtures.putDeal(tenant, "d4", "won", "2026-10-25T12:00:00Z", "\"visitor_id\": \"v1\"", "[]",
                "[{\"id\": \"p4\", \"amount\": 4000, \"paid_at\": \"2026-10-25T12:00:00Z\"}]").statusCode(200);
        RunFixtures.putDeal(tenant, "d1", "won", "2026-10-15T12:00:00Z", "\"visitor_id\": \"v1\", \"phones\": [\"8 (916) 210-45-87\"]", "[]",
                "[{\"id\": \"p3\", \"amount\": 2000, \"paid_at\": \"2026-10-15T12:00:00Z\"}]").statusCode(200);
        scheduler.refresh(tenant);
        List<CreditTotalsChunk> change = totals(tenant, "linear", 1);
        assertEquals(2, change.get(0).getHeader().getVersion());
        assertFalse(change.get(0).getHeader().getFull(), "an incremental version answers its change");
        fold(held, change);
        Map<String, BigDecimal[]> whole = fold(new TreeMap<>(), totals(tenant, "linear", 0));
        assertEquals(whole.keySet(), held.keySet());
        whole.forEach((k, v) -> {
            for (int i = 0; i < 4; i++) {
                assertEquals(v[i].doubleValue(), held.get(k)[i].doubleValue(), 1e-6, k + " column " + i);
            }
        });
        assertEquals(2_300_000, column(whole, 0).doubleValue(), 0.01);
        assertEquals(3.0, column(whole, 1).doubleValue(), 1e-9, "three paid deals");
        assertEquals(2.0, column(whole, 2).doubleValue(), 1e-9, "still two new customers");
        assertEquals(0, totals(tenant, "linear", 2).stream().mapToInt(CreditTotalsChunk::getTotalsCount).sum(), "nothing after the newest");
    }

    @Test
    void journeysCarryTheLeadTouchAndTheFirstPaidDealAndWorkspacesStayApart() {
        String tenant = "feeds-journeys";
        RunFixtures.workspace(tenant);
        RunFixtures.run(tenant, "{\"model\": \"first_touch\"}");
        List<RunDeal> deals = new ArrayList<>();
        service().streamRunDeals(StreamRunDealsRequest.newBuilder().setTenantId(tenant).setSeries("first_touch").build()).collect().asList()
                .await().atMost(Duration.ofSeconds(20)).forEach((RunDealsChunk c) -> deals.addAll(c.getDealsList()));
        assertEquals(3, deals.size());
        RunDeal d1 = deals.stream().filter(d -> d.getTouches() == 3).findFirst().orElseThrow();
        assertEquals("email", d1.getLeadChannel(), "the last touch before the deal was created");
        assertTrue(d1.getNewCustomer());
        assertTrue(d1.getPersonKey().startsWith("person:"));
        assertEquals(1, deals.stream().filter(d -> d.getTouches() == 0 && d.getNewCustomer()).count(), "d3: paid, no touch");
        assertEquals(Status.Code.NOT_FOUND, statusOf(() -> service().streamCreditTotals(StreamCreditTotalsRequest.newBuilder().setTenantId("someone-else")
                .setSeries("first_touch").build()).collect().asList()));
    }

    @Test
    void dealChangesArePagedInTheOrderTheyChangedWithTheLinkedPerson() throws Exception {
        String tenant = "feeds-deals";
        RunFixtures.putDeal(tenant, "x1", "lost", "2026-10-04T12:00:00Z", "\"visitor_id\": \"feeds-v1\"", "[]", "[]").statusCode(200);
        RunFixtures.putDeal(tenant, "x2", "won", "2026-10-05T12:00:00Z", "\"visitor_id\": \"feeds-v2\"", "[]",
                "[{\"id\": \"p\", \"amount\": 700, \"paid_at\": \"2026-10-06T12:00:00Z\"}]").statusCode(200);
        List<DealChange> seen = new ArrayList<>();
        String cursor = "";
        // One change per page through every change of the shared test database (other tests store deals too).
        for (int round = 0; round < 5000 && seen.stream().filter(d -> d.getTenantId().equals(tenant) && !d.getPersonId().isEmpty()).count() < 2; round++) {
            ListDealChangesResponse page = await(service().listDealChanges(ListDealChangesRequest.newBuilder().setAfter(cursor).setLimit(1).build()));
            seen.addAll(page.getDealsList());
            if (page.getDealsCount() == 0) {
                Thread.sleep(100);
            }
            cursor = page.getNext();
        }
        List<DealChange> mine = seen.stream().filter(d -> d.getTenantId().equals(tenant)).toList();
        DealChange paid = mine.stream().filter(d -> d.getStatus().equals("won") && !d.getPersonId().isEmpty()).findFirst().orElseThrow();
        assertEquals("paid", paid.getFurthestStage());
        assertEquals(700_00, paid.getPayments(0).getAmountMinor());
        assertEquals(0.6, paid.getGrossRatio(), 1e-9, "cost 6,000 of 15,000");
        assertTrue(mine.stream().anyMatch(d -> d.getStatus().equals("lost") && d.getLossReason().equals("too expensive")));
        assertEquals(Status.Code.INVALID_ARGUMENT, statusOf(() -> service().listDealChanges(ListDealChangesRequest.newBuilder().setAfter("nonsense").build())));
    }
}
