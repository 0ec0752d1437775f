package io.throughline.attribution.audiences;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.throughline.attribution.FakeIdentityService;
import io.throughline.attribution.domain.audiences.AudiencePlatform;
import io.throughline.attribution.processing.AudienceRecompute;
import io.throughline.attribution.processing.ErasureFeed;
import io.throughline.contracts.identity.v1.IdentifierType;
import io.throughline.contracts.identity.v1.PendingErasure;
import io.throughline.contracts.identity.v1.ResolvedIdentifier;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Audiences through the public API with deals stored as CRMs send them, identity-service mocked at its gRPC
 * boundary (merges, splits and erasures in its change feed), and the recompute rounds called directly.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_attribution_test"))
class AudiencesTest {

    @Inject
    AudienceRecompute recompute;

    @Inject
    ErasureFeed erasures;

    @Inject
    io.throughline.attribution.store.AudienceStore store;

    private static String admin(String tenant) {
        return TestTokens.user(tenant, "admin");
    }

    private static void deal(String tenant, String id, String contact, String payments) {
        given().auth().oauth2(admin(tenant)).contentType(ContentType.JSON).body("{\"status\": \"won\", \"amount\": 900, \"currency\": \"RUB\","
                + " \"updated_at\": \"" + Instant.now() + "\", \"contact\": " + contact + ", \"payments\": " + payments + "}")
                .when().put("/api/attribution/deals/crm/" + id).then().statusCode(200);
    }

    private static String payment(String id, int amount, Instant at) {
        return "{\"id\": \"" + id + "\", \"amount\": " + amount + ", \"paid_at\": \"" + at + "\"}";
    }

    private static String audience(String tenant, String body) {
        return given().auth().oauth2(admin(tenant)).contentType(ContentType.JSON).body(body).when().post("/api/attribution/audiences")
                .then().statusCode(201).extract().path("id");
    }

    private static List<Map<String, Object>> members(String tenant, String audience) {
        return given().auth().oauth2(admin(tenant)).queryParam("limit", 1000).when().get("/api/attribution/audiences/" + audience + "/members")
                .then().statusCode(200).extract().path("items");
    }

    private static List<String> keys(String tenant, String audience) {
        return members(tenant, audience).stream().map(m -> (String) m.get("key")).sorted().toList();
    }

    private void until(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            recompute.round();
        }
    }

    @Test
    void membershipFollowsPaymentsRefundsMergesSplitsAndErasure() {
        String t = "aud-flow";
        String payers = audience(t, "{\"name\": \"Paid customers\", \"kind\": \"paid_customers\"}");
        String recent = audience(t, "{\"name\": \"Paid in 90 days\", \"kind\": \"paid_customers\", \"within_days\": 90}");
        String hot = audience(t, "{\"name\": \"Proposals\", \"kind\": \"open_deals\", \"stages\": [\"proposal\", \"КП\"]}");
        Instant now = Instant.now();
        deal(t, "anna", "{\"emails\": [\"Anna@Mail.ru\"]}", "[" + payment("p1", 900, now.minus(Duration.ofDays(3))) + "]");
        deal(t, "ivan", "{\"phones\": [\"8 (916) 111-22-33\"]}", "[" + payment("p1", 500, now.minus(Duration.ofDays(1))) + "]");
        deal(t, "olga", "{\"emails\": [\"olga@mail.ru\"]}", "[" + payment("p1", 700, now.minus(Duration.ofDays(200))) + "]");
        deal(t, "petr", "{\"emails\": [\"petr@mail.ru\"]}", "[]");
        String anna = "p:person-Anna@Mail.ru";
        String ivan = "p:person-8 (916) 111-22-33";
        String olga = "p:person-olga@mail.ru";
        until("three payers", () -> keys(t, payers).size() == 3);
        assertEquals(List.of(ivan, anna, olga).stream().sorted().toList(), keys(t, payers));
        assertEquals(List.of(ivan, anna).stream().sorted().toList(), keys(t, recent), "olga paid 200 days ago");
        assertEquals(List.of(), keys(t, hot));
        Map<String, Object> annaRow = members(t, payers).stream().filter(m -> m.get("key").equals(anna)).findFirst().orElseThrow();
        assertEquals(List.of("anna@mail.ru"), annaRow.get("emails"));

        // A refund of the whole payment: Anna is no customer any more.
        deal(t, "anna", "{\"emails\": [\"Anna@Mail.ru\"]}", "[" + payment("p1", 900, now.minus(Duration.ofDays(3)))
                + ", {\"id\": \"r1\", \"kind\": \"refund\", \"amount\": 900, \"paid_at\": \"" + now + "\"}]");
        until("the refund removes anna", () -> !keys(t, payers).contains(anna));
        List<Map<String, Object>> versions = given().auth().oauth2(admin(t)).when().get("/api/attribution/audiences/" + payers + "/versions")
                .then().statusCode(200).extract().path("items");
        assertEquals(1, versions.get(0).get("removed"));
        assertEquals(2, versions.get(0).get("size"));

        // identity merges Ivan's phone into Olga: one person, both contacts, Ivan's payment counts for the survivor.
        FakeIdentityService.merge(t, "person-olga@mail.ru", "person-8 (916) 111-22-33");
        until("the merge", () -> !keys(t, payers).contains(ivan));
        assertEquals(List.of(olga), keys(t, payers));
        assertEquals(List.of(olga), keys(t, recent), "the survivor paid a day ago through the absorbed person's deal");
        Map<String, Object> merged = members(t, payers).get(0);
        assertEquals(List.of("olga@mail.ru"), merged.get("emails"));
        assertEquals(List.of("+79161112233"), merged.get("phones"));

        // ... and splits them again: each is their own member with their own contacts.
        int beforeSplit = given().auth().oauth2(admin(t)).when().get("/api/attribution/audiences/" + payers).then().extract().path("version");
        FakeIdentityService.unmerge(t, "person-olga@mail.ru", "person-8 (916) 111-22-33", Set.of("+79161112233"));
        until("the split", () -> keys(t, payers).size() == 2);
        assertEquals(List.of(ivan, olga).stream().sorted().toList(), keys(t, payers));
        assertEquals(List.of(ivan), keys(t, recent));
        assertEquals(List.of(), members(t, payers).stream().filter(m -> m.get("key").equals(olga)).findFirst().orElseThrow().get("phones"));
        List<io.throughline.attribution.store.AudienceStore.Row> removals = new ArrayList<>();
        store.stream(t, java.util.UUID.fromString(payers), beforeSplit, null, "-", false, removals::add);
        assertEquals(1, removals.size(), removals.toString());
        assertTrue(removals.get(0).key().startsWith(olga + "~"), "the phone olga lost is a removal of its own");
        assertEquals(List.of("+79161112233"), removals.get(0).phones());

        // An open deal reaches a proposal stage.
        given().auth().oauth2(admin(t)).contentType(ContentType.JSON).body("{\"status\": \"open\", \"stage\": \"КП\", \"amount\": 100, \"currency\": \"RUB\","
                + " \"updated_at\": \"" + Instant.now() + "\", \"contact\": {\"emails\": [\"petr@mail.ru\"]}}").when()
                .put("/api/attribution/deals/crm/petr").then().statusCode(200);
        until("petr's proposal", () -> keys(t, hot).contains("p:person-petr@mail.ru"));

        // Erasure: identity erases Olga; she leaves every audience.
        FakeIdentityService.erase(t, "person-olga@mail.ru");
        FakeIdentityService.ERASURES.add(PendingErasure.newBuilder().setErasureId("aud-er-1").setTenantId(t).setPersonId("person-olga@mail.ru")
                .addIdentifiers(ResolvedIdentifier.newBuilder().setType(IdentifierType.IDENTIFIER_TYPE_EMAIL).setValue("olga@mail.ru")).build());
        erasures.processPending();
        until("the erasure", () -> !keys(t, payers).contains(olga));
        assertEquals(List.of(ivan), keys(t, payers));
    }

    private static String csv(String header, List<String> rows) {
        return header + "\n" + String.join("\n", rows) + "\n";
    }

    private static List<String> employees(int from, int to) {
        List<String> rows = new ArrayList<>();
        for (int i = from; i < to; i++) {
            rows.add(String.format("Employee%03d@Corp.ru,", i));
        }
        return rows;
    }

    private static Map<String, Object> upload(String tenant, String audience, String csv) {
        return given().auth().oauth2(admin(tenant)).contentType("text/csv").body(csv).when().put("/api/attribution/audiences/" + audience + "/entries")
                .then().statusCode(200).extract().as(Map.class);
    }

    private static List<String> exportLines(String token, String audience, String query) {
        String body = given().auth().oauth2(token).when().get("/api/attribution/audiences/" + audience + "/export?" + query).then().statusCode(200)
                .contentType(containsString("text/csv")).extract().asString();
        return List.of(body.split("\n"));
    }

    @Test
    void listsCombinationsExportsPerPlatformDiffsAndTheMinimumSize() {
        String t = "aud-lists";
        String employees = audience(t, "{\"name\": \"Employees\", \"kind\": \"uploaded\", \"purpose\": \"employees\"}");
        List<String> rows = employees(0, 120);
        rows.add(",8 (912) 345-67-89");
        rows.add("not-an-email,");
        rows.add(",12345");
        Map<String, Object> summary = upload(t, employees, csv("email,phone", rows));
        assertEquals(123, summary.get("rows_read"));
        assertEquals(121, summary.get("accepted"));
        List<Map<String, Object>> rejected = (List<Map<String, Object>>) summary.get("rejected");
        assertEquals(2, rejected.size());
        assertEquals(123, rejected.get(0).get("line"), "the line number in the file (header is line 1)");
        assertTrue(((String) rejected.get(1).get("reason")).startsWith("phone:"), rejected.toString());
        assertEquals(1, summary.get("version"));

        String competitors = audience(t, "{\"name\": \"Competitors\", \"kind\": \"uploaded\"}");
        upload(t, competitors, csv("email", List.of("employee007@corp.ru")));
        String exclusion = audience(t, "{\"name\": \"Exclude from retargeting\", \"kind\": \"combined\", \"include\": [\"" + employees + "\"],"
                + " \"exclude\": [\"" + competitors + "\"]}");
        recompute.round();
        assertEquals(120, keys(t, exclusion).size(), "121 contacts less the one on the competitors' list");
        assertFalse(keys(t, exclusion).contains("c:e:employee007@corp.ru"));

        String reader = TestTokens.user(t, "audience-reader");
        List<String> google = exportLines(reader, exclusion, "platform=google");
        assertEquals("Email,Phone", google.get(0));
        assertEquals(121, google.size());
        assertTrue(google.contains("\"\"," + AudiencePlatform.sha256("+79123456789")));
        assertTrue(google.contains(AudiencePlatform.sha256("employee000@corp.ru") + ","));
        List<String> meta = exportLines(reader, exclusion, "platform=meta");
        assertEquals("EMAIL,PHONE", meta.get(0));
        assertTrue(meta.contains("\"\",dbae582ee1f37b15623829ece40b66a8eb5162337ab0a8b7cf1b86cb300391bc"), "Meta's phone is digits only");
        List<String> yandexPlain = exportLines(reader, exclusion, "platform=yandex&plain=true");
        assertEquals("email,phone", yandexPlain.get(0));
        assertTrue(yandexPlain.contains("\"\",79123456789"));
        given().auth().oauth2(reader).when().get("/api/attribution/audiences/" + exclusion + "/export?platform=google&plain=true").then()
                .statusCode(400).body("errors[0].field", equalTo("plain"));
        given().auth().oauth2(reader).when().get("/api/attribution/audiences/" + exclusion + "/export?platform=tiktok").then()
                .statusCode(400).body("errors[0].field", equalTo("platform"));

        // What changed since the version a platform has: one employee left, one joined.
        int before = given().auth().oauth2(reader).when().get("/api/attribution/audiences/" + exclusion).then().extract().path("version");
        List<String> next = employees(1, 121);
        next.add(",8 (912) 345-67-89");
        upload(t, employees, csv("email,phone", next));
        List<String> added = exportLines(reader, exclusion, "platform=google&since_version=" + before);
        assertEquals(List.of("Email,Phone", AudiencePlatform.sha256("employee120@corp.ru") + ","), added);
        List<String> removed = exportLines(reader, exclusion, "platform=google&since_version=" + before + "&removed=true");
        assertEquals(List.of("Email,Phone", AudiencePlatform.sha256("employee000@corp.ru") + ","), removed);

        // Too small for any platform: refused with the reason, and the refusal is in the pull log.
        given().auth().oauth2(reader).when().get("/api/attribution/audiences/" + competitors + "/export?platform=yandex").then().statusCode(422)
                .body("detail", containsString("needs at least 100"));
        List<Map<String, Object>> log = given().auth().oauth2(admin(t)).when().get("/api/attribution/audiences/" + competitors + "/pulls")
                .then().statusCode(200).extract().path("items");
        assertTrue(((String) log.get(0).get("refused")).contains("needs at least 100"));
        List<Map<String, Object>> exclusionLog = given().auth().oauth2(admin(t)).when().get("/api/attribution/audiences/" + exclusion + "/pulls")
                .then().statusCode(200).extract().path("items");
        assertEquals(1, exclusionLog.get(0).get("rows"), "the last pull sent one removal");
        assertEquals("token", exclusionLog.get(0).get("via"));

        // A combination's part cannot be deleted; an audience of another kind takes no entries.
        given().auth().oauth2(admin(t)).when().delete("/api/attribution/audiences/" + competitors).then().statusCode(409);
        given().auth().oauth2(admin(t)).contentType("text/csv").body("email\na@b.ru\n").when().put("/api/attribution/audiences/" + exclusion + "/entries")
                .then().statusCode(400).body("errors[0].field", equalTo("id"));
        given().auth().oauth2(admin(t)).contentType("text/csv").body("name\nAnna\n").when().put("/api/attribution/audiences/" + employees + "/entries")
                .then().statusCode(400).body("errors[0].field", equalTo("body"));
    }

    @Test
    void withConsentRequiredOnlyPeopleWhoAgreedAreExported() {
        String t = "aud-consent";
        String list = audience(t, "{\"name\": \"Employees\", \"kind\": \"uploaded\"}");
        upload(t, list, csv("email", employees(0, 150)));
        String reader = TestTokens.user(t, "audience-reader");
        assertEquals(151, exportLines(reader, list, "platform=vk").size());
        given().auth().oauth2(admin(t)).contentType(ContentType.JSON).body("{\"require_consent\": true}").when()
                .put("/api/attribution/audiences/settings").then().statusCode(200);
        given().auth().oauth2(reader).when().get("/api/attribution/audiences/" + list + "/export?platform=vk").then().statusCode(422)
                .body("detail", containsString("0 people with consent"));
        int afterToggle = given().auth().oauth2(admin(t)).when().get("/api/attribution/audiences/" + list).then().extract().path("version");
        assertEquals(2, afterToggle, "switching the requirement is a version: everyone without consent is a removal for the platforms");
        StringBuilder consents = new StringBuilder("{\"consents\": [");
        for (int i = 0; i < 130; i++) {
            consents.append(i == 0 ? "" : ",").append("{\"email\": \"employee").append(String.format("%03d", i)).append("@corp.ru\", \"granted\": true}");
        }
        consents.append(", {\"email\": \"employee001@corp.ru\", \"granted\": false}]}");
        given().auth().oauth2(admin(t)).contentType(ContentType.JSON).body(consents.toString()).when().put("/api/attribution/audiences/consents")
                .then().statusCode(200);
        List<String> lines = exportLines(reader, list, "platform=vk");
        assertEquals(130, lines.size(), "129 consents (one withdrawn) and the header");
        assertFalse(lines.contains("employee001@corp.ru,"));
        assertTrue(lines.contains("employee000@corp.ru,"), "VK takes plain values");
        assertEquals(List.of("email,phone", "employee001@corp.ru,"), exportLines(reader, list, "platform=vk&since_version=" + afterToggle + "&removed=true"),
                "a withdrawal reaches the platforms as a removal");
        assertEquals(130, exportLines(reader, list, "platform=vk&since_version=" + afterToggle).size(), "the grants as additions");
        given().auth().oauth2(admin(t)).contentType(ContentType.JSON).body("{\"consents\": [{\"email\": \"nope\", \"granted\": true}]}").when()
                .put("/api/attribution/audiences/consents").then().statusCode(400).body("errors[0].field", equalTo("consents[0].email"));
    }

    @Test
    void pullsNeedTheRightRoleTheRightWorkspaceOrTheFeedsOwnCredentials() {
        String t = "aud-auth";
        String list = audience(t, "{\"name\": \"Employees\", \"kind\": \"uploaded\"}");
        upload(t, list, csv("email", employees(0, 100)));
        String other = audience("aud-auth-other", "{\"name\": \"Employees\", \"kind\": \"uploaded\"}");
        String url = "/api/attribution/audiences/" + list + "/export?platform=google";
        given().when().get(url).then().statusCode(401);
        given().auth().oauth2(TestTokens.user(t, "analyst")).when().get(url).then().statusCode(403);
        given().auth().oauth2(TestTokens.user("aud-auth-other", "audience-reader")).when().get(url).then().statusCode(404);
        given().auth().oauth2(TestTokens.user("aud-auth-other", "audience-reader")).when().get("/api/attribution/audiences").then()
                .statusCode(200).body("items.size()", equalTo(1)).body("items[0].id", equalTo(other));
        given().auth().oauth2(TestTokens.user(t, "audience-reader")).contentType(ContentType.JSON).body("{\"name\": \"x\", \"kind\": \"uploaded\"}")
                .when().post("/api/attribution/audiences").then().statusCode(403);

        Map<String, Object> first = given().auth().oauth2(admin(t)).when().post("/api/attribution/audiences/" + list + "/feed-credentials").then()
                .statusCode(200).extract().as(Map.class);
        String feed = "/feeds/audiences/" + list + "/google.csv";
        String body = given().header("Authorization", basic(first)).when().get(feed).then().statusCode(200).extract().asString();
        assertEquals(101, body.split("\n").length);
        given().when().get(feed).then().statusCode(401).header("WWW-Authenticate", containsString("Basic")).body("status", equalTo(401));
        given().header("Authorization", "Basic " + Base64.getEncoder().encodeToString((first.get("user") + ":wrong").getBytes())).when().get(feed)
                .then().statusCode(401);
        given().header("Authorization", basic(first)).when().get("/feeds/audiences/" + other + "/google.csv").then().statusCode(401);
        Map<String, Object> second = given().auth().oauth2(admin(t)).when().post("/api/attribution/audiences/" + list + "/feed-credentials").then()
                .statusCode(200).extract().as(Map.class);
        given().header("Authorization", basic(first)).when().get(feed).then().statusCode(401);
        given().header("Authorization", basic(second)).when().get("/feeds/audiences/" + list + "/meta.csv").then().statusCode(200);
        List<Map<String, Object>> log = given().auth().oauth2(admin(t)).when().get("/api/attribution/audiences/" + list + "/pulls").then()
                .statusCode(200).extract().path("items");
        assertEquals("feed", log.get(0).get("via"));
        assertEquals(second.get("user"), log.get(0).get("who"));
        assertEquals(100, ((Number) log.get(0).get("rows")).intValue());
        assertTrue(given().auth().oauth2(admin(t)).when().get("/api/attribution/audiences/" + list).then().extract().asString()
                .contains((String) second.get("user")), "the feed user is shown");
        assertFalse(given().auth().oauth2(admin(t)).when().get("/api/attribution/audiences/" + list).then().extract().asString()
                .contains((String) second.get("secret")), "the secret never is");
    }

    private static String basic(Map<String, Object> credentials) {
        return "Basic " + Base64.getEncoder().encodeToString((credentials.get("user") + ":" + credentials.get("secret")).getBytes());
    }

    @Test
    void definitionsAreValidatedFieldByField() {
        String t = "aud-bad";
        given().auth().oauth2(admin(t)).contentType(ContentType.JSON).body("{\"name\": \"x\", \"kind\": \"lookalike\"}").when()
                .post("/api/attribution/audiences").then().statusCode(400).body("errors[0].field", equalTo("kind"));
        given().auth().oauth2(admin(t)).contentType(ContentType.JSON).body("{\"name\": \"x\", \"kind\": \"paid_customers\", \"within_days\": 0}").when()
                .post("/api/attribution/audiences").then().statusCode(400).body("errors[0].field", equalTo("within_days"));
        given().auth().oauth2(admin(t)).contentType(ContentType.JSON).body("{\"name\": \"x\", \"kind\": \"open_deals\", \"stages\": []}").when()
                .post("/api/attribution/audiences").then().statusCode(400).body("errors[0].field", equalTo("stages"));
        given().auth().oauth2(admin(t)).contentType(ContentType.JSON)
                .body("{\"name\": \"x\", \"kind\": \"combined\", \"include\": [\"0190b3a8-0000-7000-8000-000000000000\"]}").when()
                .post("/api/attribution/audiences").then().statusCode(400).body("errors[0].field", equalTo("include[0]"));
        given().auth().oauth2(admin(t)).contentType(ContentType.JSON)
                .body("{\"name\": \"x\", \"kind\": \"paid_customers\", \"min_revenue\": 10.001, \"min_revenue_currency\": \"RUB\"}").when()
                .post("/api/attribution/audiences").then().statusCode(400).body("errors[0].field", equalTo("min_revenue"));
        String a = audience(t, "{\"name\": \"Paid\", \"kind\": \"paid_customers\", \"min_revenue\": 1000.50, \"min_revenue_currency\": \"RUB\"}");
        given().auth().oauth2(admin(t)).when().get("/api/attribution/audiences/" + a).then().statusCode(200).body("min_revenue", equalTo(1000.5f));
        given().auth().oauth2(admin(t)).contentType(ContentType.JSON).body("{\"name\": \"Paid\", \"kind\": \"paid_customers\"}").when()
                .post("/api/attribution/audiences").then().statusCode(409);
        given().auth().oauth2(admin(t)).contentType(ContentType.JSON).body("{\"name\": \"Paid\", \"kind\": \"uploaded\"}").when()
                .put("/api/attribution/audiences/" + a).then().statusCode(400).body("errors[0].field", equalTo("kind"));
        given().auth().oauth2(admin(t)).when().get("/api/attribution/audiences/not-an-id").then().statusCode(404);
    }
}
