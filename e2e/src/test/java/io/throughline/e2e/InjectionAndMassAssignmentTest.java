package io.throughline.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.throughline.devstack.StackSettings;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OWASP API 2023, injection and mass assignment, through the gateway: every filter, sort and grouping parameter of the list
 * and report routes gets SQL, MongoDB-operator, path, script, NUL and oversized values. None may cost a 5xx, a refusal is a
 * problem body, and a text filter that "matched" must have matched nothing (an injection that worked would return every row).
 * Create and update bodies carrying fields the server owns (workspace, id, key, size, status of a run) are stored without
 * them: the object lands in the caller's workspace with the server's values.
 */
@ExtendWith(RunningStack.class)
class InjectionAndMassAssignmentTest {

    private static final List<String> PAYLOADS = List.of("' OR '1'='1", "1; DROP TABLE deals;--", "x') UNION SELECT tenant_id FROM deals--",
            "{\"$ne\": null}", "$where", "[$gt]=", "../../etc/passwd", "<script>alert(1)</script>", "\u0000", "%00", "\\", "'", "\"",
            "x".repeat(5000), "ё-юникод ☕", "-1", "1e309");

    /** Route -> its text filters (an equality that matched must match nothing) and its other parameters. */
    private static final Map<String, List<List<String>>> ROUTES = Map.ofEntries(
            Map.entry("/api/reporting/reports/channels", List.of(List.of("channel", "source", "medium", "campaign", "keyword", "site"),
                    List.of("group_by", "sort", "model", "from", "to", "tz", "limit", "cursor", "format", "delimiter"))),
            Map.entry("/api/reporting/reports/campaigns", List.of(List.of("campaign", "source"), List.of("group_by", "sort", "model"))),
            Map.entry("/api/reporting/reports/keywords", List.of(List.of("keyword"), List.of("sort"))),
            Map.entry("/api/reporting/reports/naive-vs-real", List.of(List.of("campaign"), List.of("group_by", "sort", "model"))),
            Map.entry("/api/reporting/reports/cohorts", List.of(List.of("channel"), List.of("group_by", "sort"))),
            Map.entry("/api/reporting/reports/funnel", List.of(List.of("channel"), List.of("group_by", "sort"))),
            Map.entry("/api/reporting/reports/managers", List.of(List.of(), List.of("sort", "group_by"))),
            Map.entry("/api/reporting/reports/data-quality", List.of(List.of("channel"), List.of("sort"))),
            Map.entry("/api/reporting/reports/calls", List.of(List.of("channel"), List.of("sort", "group_by"))),
            Map.entry("/api/reporting/reports/trend", List.of(List.of("campaign"), List.of("interval", "group_by"))),
            Map.entry("/api/tracking/sessions", List.of(List.of("visitor_id", "channel", "site_id"), List.of("excluded", "from", "to", "tz", "cursor",
                    "limit", "format"))),
            Map.entry("/api/tracking/hits", List.of(List.of("visitor_id", "session_id", "site_id"), List.of("type", "cursor"))),
            Map.entry("/api/attribution/deals", List.of(List.of("crm", "status"), List.of("cursor", "limit"))),
            Map.entry("/api/attribution/runs", List.of(List.of("series"), List.of("cursor"))),
            Map.entry("/api/calltracking/calls", List.of(List.of("site_key", "caller"), List.of("direction", "status", "match", "target", "missed",
                    "from", "to", "cursor", "format"))));

    @Test
    void noFilterSortOrGroupingValueCostsA5xxOrMatchesWhatItDoesNotName(StackSettings settings) {
        String analyst = new Keycloak(settings).login("acme-analyst");
        List<String> problems = new ArrayList<>();
        ROUTES.forEach((route, params) -> {
            for (int kind = 0; kind < 2; kind++) {
                for (String param : params.get(kind)) {
                    for (String payload : PAYLOADS) {
                        ExtractableResponse<Response> r = get(analyst, route, param, payload);
                        String at = route + "?" + param + "=" + (payload.length() > 40 ? payload.substring(0, 40) + "..." : payload);
                        if (r.statusCode() >= 500) {
                            problems.add(at + " -> " + r.statusCode());
                        } else if (r.statusCode() >= 400 && !r.contentType().contains("problem+json") && r.statusCode() != 414 && r.statusCode() != 431) {
                            problems.add(at + " -> " + r.statusCode() + " without a problem body");
                        } else if (kind == 0 && r.statusCode() == 200 && r.contentType().contains("json") && !r.jsonPath().getList("items").isEmpty()) {
                            problems.add(at + " -> 200 with " + r.jsonPath().getList("items").size() + " rows for a value nothing has");
                        }
                    }
                }
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** One request, waiting out the gateway's per-client rate limit (the sweep sends about a thousand). */
    private static ExtractableResponse<Response> get(String token, String route, String param, String value) {
        while (true) {
            ExtractableResponse<Response> r = given().auth().oauth2(token).queryParam(param, value).when().get(route).then().extract();
            if (r.statusCode() != 429) {
                return r;
            }
            FaultLoad.sleep(1000L * Long.parseLong(r.header("Retry-After") == null ? "1" : r.header("Retry-After")));
        }
    }

    /** A body with fields the server owns is either refused naming one of them, or created without taking them. */
    private static io.restassured.path.json.JsonPath created(ExtractableResponse<Response> r, int created) {
        if (r.statusCode() == 400) {
            assertTrue(r.asString().contains("\"field\""), "a refusal names the field: " + r.asString());
            return null;
        }
        assertEquals(created, r.statusCode(), r.asString());
        return r.jsonPath();
    }

    @Test
    void fieldsTheServerOwnsAreNotTakenFromTheBody(StackSettings settings) {
        Keycloak keycloak = new Keycloak(settings);
        String acme = keycloak.login("acme-admin");
        String globex = keycloak.login("globex-admin");
        String tag = UUID.randomUUID().toString().substring(0, 8);

        var site = given().auth().oauth2(acme).contentType(ContentType.JSON).body("{\"name\": \"Mass " + tag + "\", \"domains\": [\"mass-" + tag
                + ".example\"], \"default_phone_region\": \"RU\", \"tenant_id\": \"globex\", \"id\": \"00000000-0000-0000-0000-000000000001\","
                + " \"public_key\": \"pk_chosenbytheclient01\", \"created_at\": \"2001-01-01T00:00:00Z\"}")
                .when().post("/api/tracking/sites").then().extract();
        var siteView = created(site, 201);
        if (siteView != null) {
            assertNotEquals("pk_chosenbytheclient01", siteView.getString("public_key"));
            assertNotEquals("00000000-0000-0000-0000-000000000001", siteView.getString("id"));
            given().auth().oauth2(globex).when().get("/api/tracking/sites/" + siteView.getString("id")).then().statusCode(404);
        }

        var audience = given().auth().oauth2(acme).contentType(ContentType.JSON).body("{\"name\": \"Mass " + tag + "\", \"kind\": \"uploaded\","
                + " \"tenant_id\": \"globex\", \"size\": 100000, \"version\": 42, \"id\": \"00000000-0000-0000-0000-000000000002\"}")
                .when().post("/api/attribution/audiences").then().extract();
        var audienceView = created(audience, 201);
        if (audienceView != null) {
            assertEquals(0, audienceView.getInt("size"));
            assertNotEquals("00000000-0000-0000-0000-000000000002", audienceView.getString("id"));
            given().auth().oauth2(globex).when().get("/api/attribution/audiences/" + audienceView.getString("id")).then().statusCode(404);
        }

        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        var deal = given().auth().oauth2(acme).contentType(ContentType.JSON).body("{\"title\": \"Mass " + tag + "\", \"status\": \"open\","
                + " \"amount\": 100.00, \"currency\": \"RUB\", \"created_at\": \"" + now + "\", \"updated_at\": \"" + now + "\", \"tenant_id\": \"globex\","
                + " \"id\": \"00000000-0000-0000-0000-000000000003\", \"paid\": 100.00, \"contact\": {\"emails\": [\"mass-" + tag + "@mail.ru\"]}}")
                .when().put("/api/attribution/deals/mass-crm/mass-" + tag).then().extract();
        var dealView = created(deal, 200);
        if (dealView != null) {
            assertNotEquals("00000000-0000-0000-0000-000000000003", dealView.getString("id"));
        }
        given().auth().oauth2(globex).queryParam("crm", "mass-crm").when().get("/api/attribution/deals").then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(0));

        var run = given().auth().oauth2(acme).contentType(ContentType.JSON).body("{\"model\": \"linear\", \"status\": \"done\", \"version\": 999,"
                + " \"tenant_id\": \"globex\", \"series\": \"forged\"}").when().post("/api/attribution/runs").then().extract();
        if (run.statusCode() == 202) {
            assertNotEquals(999, run.jsonPath().getInt("version"));
            assertNotEquals("forged", run.jsonPath().getString("series"));
            assertEquals("running", run.jsonPath().getString("status"));
        } else {
            assertEquals(409, run.statusCode(), "busy with the scheduled version: " + run.asString());
        }
    }
}
