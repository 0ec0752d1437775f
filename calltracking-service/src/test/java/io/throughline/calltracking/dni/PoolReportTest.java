package io.throughline.calltracking.dni;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.throughline.calltracking.CallTrackingFixtures;
import io.throughline.calltracking.FakeTrackingService;
import io.throughline.calltracking.domain.PoolSizing;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_calltracking_test"))
class PoolReportTest {

    @Test
    void utilizationOverflowsAndTheRecommendedSizeComeFromTheReservationHistory() {
        String site = FakeTrackingService.site("acme", "report");
        String pool = CallTrackingFixtures.pool("acme", site, "", CallTrackingFixtures.numbers(30, 2));
        for (String visitor : List.of("report-visitor-1", "report-visitor-2", "report-visitor-3")) {
            DniResourceTest.dni(site, visitor, null).statusCode(200);
        }
        Instant from = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
        JsonPath report = given().auth().oauth2(TestTokens.user("acme", "analyst")).queryParam("from", from.toString())
                .queryParam("to", from.plus(3, ChronoUnit.HOURS).toString()).queryParam("bucket", "hour")
                .when().get("/api/calltracking/pools/" + pool + "/report").then().statusCode(200)
                .body("numbers", equalTo(2)).body("visits", equalTo(3)).body("overflows", equalTo(1))
                .body("buckets.peak_held", hasItem(2)).body("buckets.peak_utilization", hasItem(1.0f)).extract().jsonPath();
        assertEquals(3, report.getList("buckets").size());
        assertTrue(report.getInt("peak_new_sessions_per_minute") >= 2, report.prettify());
        assertEquals(PoolSizing.recommended(report.getInt("peak_new_sessions_per_minute"), report.getDouble("average_session_minutes"), 3.0),
                report.getInt("recommended_numbers"));
        given().auth().oauth2(TestTokens.user("acme", "analyst")).queryParam("bucket", "week").when()
                .get("/api/calltracking/pools/" + pool + "/report").then().statusCode(400).body("errors[0].field", equalTo("bucket"));
        given().auth().oauth2(TestTokens.user("acme", "analyst")).queryParam("from", "2026-01-01T00:00:00Z").queryParam("to", "2026-12-01T00:00:00Z")
                .queryParam("bucket", "minute").when().get("/api/calltracking/pools/" + pool + "/report").then().statusCode(400)
                .body("errors[0].field", equalTo("bucket"));
        given().auth().oauth2(TestTokens.user("globex", "analyst")).when().get("/api/calltracking/pools/" + pool + "/report").then().statusCode(404);
    }
}
