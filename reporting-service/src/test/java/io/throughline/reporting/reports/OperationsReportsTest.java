package io.throughline.reporting.reports;

import static io.throughline.reporting.ReportFixtures.d;
import static io.throughline.reporting.ReportFixtures.json;
import static io.throughline.reporting.ReportFixtures.n;
import static io.throughline.reporting.ReportWorld.k;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.throughline.reporting.ReportWorld;
import io.throughline.reporting.processing.FeedSync;
import io.throughline.testkit.PostgresTestDatabase;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The funnel, losses, managers, data quality and calls reports on one small workspace. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class, initArgs = @ResourceArg(name = "database", value = "throughline_reporting_test"))
class OperationsReportsTest {

    private static final String NOVEMBER = "from=2026-11-01&to=2026-11-30";

    @Inject
    FeedSync sync;

    private static String[] stage(String stage, String at) {
        return new String[] {stage, at};
    }

    private ReportWorld world() {
        ReportWorld w = new ReportWorld("ops-shop");
        var search = k("paid_search", "yandex", "sofas");
        var social = k("paid_social", "vk", "retarget");
        // Olga's deals: one paid after two days in qualified, one lost as too expensive; Ivan's: one won but unpaid.
        w.deal("d1", "2026-11-02T10:00:00Z", search, "ops-p1", "won", 20_000, 0.5, "Olga", "",
                List.of(stage("lead", "2026-11-02T10:00:00Z"), stage("qualified", "2026-11-02T12:00:00Z"), stage("invoice", "2026-11-04T12:00:00Z")), 2,
                new ReportWorld.Pay("p1", "2026-11-05T10:00:00Z", 20_000));
        w.deal("d2", "2026-11-03T10:00:00Z", search, "ops-p2", "lost", 15_000, 0.5, "Olga", "too expensive",
                List.of(stage("lead", "2026-11-03T10:00:00Z"), stage("qualified", "2026-11-03T14:00:00Z"), stage("lost", "2026-11-06T10:00:00Z")), 3);
        w.deal("d3", "2026-11-04T10:00:00Z", social, "ops-p3", "won", 9_000, 0.5, "Ivan", "", List.of(), 0);
        w.form("f1", "2026-11-02T09:00:00Z", search, "ops-p1", false, false);
        w.form("bot", "2026-11-02T09:30:00Z", search, null, true, false);
        w.call("c1", "2026-11-03T09:00:00Z", search, "ops-p2", true, true, false, true);
        w.call("c2", "2026-11-04T09:00:00Z", search, "ops-p9", false, false, false, true);
        w.call("c3", "2026-11-04T10:00:00Z", search, "ops-p8", true, false, true, false);
        w.traffic("2026-11-02", search, 40, 10);
        return w.publish();
    }

    @Test
    void theFunnelCountsEveryStageReachedWithConversionsAndDaysInStage() {
        ReportWorld w = world();
        sync.syncAll();
        sync.refreshTraffic(w.tenant);
        JsonPath f = json(w.tenant, "funnel", NOVEMBER + "&channel=paid_search");
        assertEquals(d("2"), n(f, "items[0].lead"));
        assertEquals(d("2"), n(f, "items[0].qualified"));
        assertEquals(d("1"), n(f, "items[0].invoice"), "d1 skipped proposal: counted in it on the way to invoice");
        assertEquals(d("1"), n(f, "items[0].paid"));
        assertEquals(d("1"), n(f, "items[0].lost"));
        assertEquals(d("50.00"), n(f, "items[0].qualified_to_proposal_pct"));
        assertEquals(d("50.00"), n(f, "items[0].lead_to_paid_pct"));
        assertEquals(d("2.42"), n(f, "items[0].days_in_qualified"), f.prettify());
        JsonPath losses = json(w.tenant, "funnel-losses", NOVEMBER);
        assertEquals("too expensive", losses.getString("items[0].loss_reason"));
        assertEquals(d("50.00"), n(losses, "items[0].of_created_pct"));
    }

    @Test
    void managersDataQualityAndCallsShowWhatTheCabinetCountsThatMoneyDoesNot() {
        ReportWorld w = world();
        sync.syncAll();
        sync.refreshTraffic(w.tenant);
        JsonPath m = json(w.tenant, "managers", NOVEMBER + "&sort=manager");
        assertEquals("Ivan", m.getString("items[0].manager"));
        assertNull(m.get("items[0].first_response_hours"), "Ivan never moved his deal");
        assertEquals("Olga", m.getString("items[1].manager"));
        assertEquals(d("2"), n(m, "items[1].deals"));
        assertEquals(d("3.00"), n(m, "items[1].first_response_hours"), "2 h and 4 h after creation");
        assertEquals(d("50.00"), n(m, "items[1].conversion_pct"));
        assertEquals(d("3.00"), n(m, "items[1].cycle_days"));
        assertEquals(d("100.00"), n(m, "items[1].closed_few_touches_pct"), "d1 closed after 2 touches");
        assertEquals(d("20000.00"), n(m, "items[1].revenue"));

        JsonPath q = json(w.tenant, "data-quality", NOVEMBER + "&sort=channel&channel=paid_search,paid_social");
        assertEquals("paid_search", q.getString("items[0].channel"));
        assertEquals(d("10"), n(q, "items[0].bot_sessions"));
        assertEquals(d("20.00"), n(q, "items[0].bot_share_pct"));
        assertEquals(d("1"), n(q, "items[0].junk_leads"), "the bot's form (the spam call matched no session)");
        assertEquals(d("1"), n(q, "items[0].unpaid_deals"));
        assertEquals("paid_social", q.getString("items[1].channel"));
        assertEquals(d("1"), n(q, "items[1].won_unpaid_deals"));
        assertEquals(d("1"), n(q, "items[1].deals_without_touchpoint"));
        JsonPath unmatched = json(w.tenant, "data-quality", NOVEMBER + "&channel=(unmatched)");
        assertEquals(d("1"), n(unmatched, "items[0].unmatched_calls"));

        JsonPath c = json(w.tenant, "calls", NOVEMBER + "&sort=channel");
        assertEquals("(unmatched)", c.getString("items[0].channel"));
        assertEquals(d("1"), n(c, "items[0].spam_calls"));
        assertEquals("paid_search", c.getString("items[1].channel"));
        assertEquals(d("2"), n(c, "items[1].inbound_calls"));
        assertEquals(d("1"), n(c, "items[1].target_calls"));
        assertEquals(d("1"), n(c, "items[1].missed_calls"));
        assertEquals(d("1"), n(c, "items[1].not_called_back"));
        assertEquals(d("50.00"), n(c, "items[1].target_share_pct"));
        assertEquals(d("90.00"), n(c, "items[1].average_talk_seconds"));
    }
}
