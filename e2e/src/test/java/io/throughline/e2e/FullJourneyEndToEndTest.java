package io.throughline.e2e;

import static io.restassured.RestAssured.given;
import static io.throughline.e2e.Eventually.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.throughline.devstack.StackSettings;
import io.throughline.testkit.Browser;
import io.throughline.testkit.TestSites;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * One customer's whole journey on every real part, each service its own process behind the gateway: headless Chromium
 * lands from a Yandex ad (utm tags and a yclid) and is shown a tracked number; sipp calls that number through the test
 * PBX, which reports the call with the signed webhook; the visitor then orders through the page's form; the CRM sends
 * the deal through its signed webhook, open, then won with its payment; runs complete under several models; and through
 * the gateway with real tokens the campaign report shows the paid money against the spend under each model, the lead
 * counted once, and the payer is in the exclusion audience an ad platform pulls.
 */
@ExtendWith(RunningStack.class)
class FullJourneyEndToEndTest {

    private static final List<String> POOL = List.of("+74952033201", "+74952033202");
    /** Models this test runs itself (the scheduled job keeps others attributed on its own interval). */
    private static final List<String> MODELS = List.of("first_touch", "last_touch", "time_decay", "full_path");
    private static final String CALLER = "+79165550288";

    @Test
    void aYandexClickACallAFormAPaidDealAndTheReportsUnderEveryModel(StackSettings stack) throws Exception {
        Browser.requireChromium();
        CallTrackingEndToEndTest.requireSipp();
        Keycloak keycloak = new Keycloak(stack);
        String admin = keycloak.login("acme-admin");
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String campaign = "journey-" + tag;
        String email = "journey." + tag + "@mail.ru";
        String host = "journey-" + tag + ".test";

        String siteKey = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\": \"Journey " + tag + "\", \"domains\": [\"" + host + "\"], \"default_phone_region\": \"RU\"}")
                .when().post("/api/tracking/sites").then().statusCode(201).extract().path("public_key");
        String pool = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\": \"Journey pool " + tag + "\", \"site_key\": \"" + siteKey + "\", \"hold_seconds\": 30,"
                        + " \"replace_numbers\": [\"8 (495) 203-30-00\"]}")
                .when().post("/api/calltracking/pools").then().statusCode(201).extract().path("id");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"numbers\": [\"" + String.join("\", \"", POOL) + "\"]}")
                .when().post("/api/calltracking/pools/" + pool + "/numbers").then().statusCode(201);
        JsonPath pbxIntegration = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\": \"Journey PBX " + tag + "\", \"format\": \"generic\"}")
                .when().post("/api/calltracking/integrations").then().statusCode(201).extract().jsonPath();
        JsonPath crmIntegration = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\": \"Journey CRM " + tag + "\", \"format\": \"generic\", \"crm\": \"retailcrm\"}")
                .when().post("/api/attribution/integrations").then().statusCode(201).extract().jsonPath();
        LocalDate today = LocalDate.now(ZoneId.of("Europe/Moscow"));
        given().auth().oauth2(keycloak.client("crm-acme", "dev-crm-acme-secret")).contentType(ContentType.JSON)
                .body("{\"rows\": [{\"day\": \"" + today + "\", \"platform\": \"yandex_direct\", \"account\": \"journey\", \"campaign\": \""
                        + campaign + "\", \"clicks\": 40, \"cost\": 4000.00, \"currency\": \"RUB\"}]}")
                .when().post("/api/reporting/spend").then().statusCode(200);

        String visitor;
        Instant ordered;
        try (TestSites sites = new TestSites(); Browser browser = Browser.person()) {
            sites.site(host, path -> path.startsWith("/landing") ? page(stack, siteKey) : null);
            ChromeDriver driver = browser.driver();
            driver.get(sites.url(host, "/landing?utm_source=yandex&utm_medium=cpc&utm_campaign=" + campaign + "&yclid=88001"));
            String shown = waitFor(() -> {
                String digits = driver.findElement(By.id("phone")).getText().replaceAll("\\D", "");
                return digits.endsWith("2033000") ? null : digits;
            }, "t.js to show a tracked number");
            String number = "+7" + shown.substring(1);
            assertTrue(POOL.contains(number), shown);
            visitor = driver.manage().getCookieNamed("_tlv").getValue();
            String analyst = keycloak.login("acme-analyst");
            waitFor(() -> given().auth().oauth2(analyst).queryParam("visitor_id", visitor).when().get("/api/tracking/sessions").then()
                    .extract().jsonPath().getList("items").isEmpty() ? null : "", "the visit's session in tracking");

            // The visitor calls the number on the screen.
            int pbxPort = CallTrackingEndToEndTest.freeUdpPort();
            try (MiniPbx pbx = new MiniPbx(pbxPort, stack.gatewayUrl() + "/webhooks/calls/generic/" + pbxIntegration.getString("id"),
                    pbxIntegration.getString("secret"))) {
                CallTrackingEndToEndTest.sipp(pbxPort, "7" + number.substring(2), CALLER.substring(1));
                waitFor(() -> pbx.delivered.size() >= 2 ? "" : null, "the PBX to report the call: " + pbx.delivered);
            }
            JsonPath call = waitFor(() -> {
                JsonPath log = given().auth().oauth2(analyst).queryParam("caller", CALLER).when().get("/api/calltracking/calls").then()
                        .statusCode(200).extract().jsonPath();
                return !log.getList("items").isEmpty() && log.getBoolean("items[0].processed") ? log : null;
            }, "calltracking to match the call to the visit");
            assertEquals(visitor, call.getString("items[0].visitor_id"));
            assertEquals("88001", call.getString("items[0].click_ids.yclid"));
            assertEquals(campaign, call.getString("items[0].campaign.campaign"));

            // Then orders through the page's form (t.js captures the submitted contacts), taking a person's time: a form
            // filled faster than the site's min_form_fill_ms (3 s) is junk, and its session a bot's.
            driver.findElement(By.id("email")).sendKeys(email);
            Thread.sleep(2_000);
            driver.findElement(By.id("tel")).sendKeys("8 916 555-02-88");
            Thread.sleep(2_000);
            driver.findElement(By.id("order")).click();
            ordered = Instant.now();
            waitFor(() -> "sent".equals(driver.findElement(By.id("status")).getText()) ? "" : null, "the page's own submit handler");
        }
        try (IdentityProbe identity = new IdentityProbe(stack, keycloak)) {
            waitFor(() -> identity.resolveVisitor("acme", visitor).getFound() ? "" : null, "identity to link the visitor, e-mail and phone");
        }

        // The CRM: the deal as it is created, then won and paid, each through the signed webhook.
        String crmId = crmIntegration.getString("id");
        String secret = crmIntegration.getString("secret");
        // The CRM creates the deal after the order came in, and it is paid a moment later (both before the runs' cut-off).
        Instant created = ordered.plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
        Instant paid = created.plusSeconds(1);
        while (Instant.now().isBefore(paid.plusSeconds(1))) {
            Thread.sleep(200);
        }
        String deal = """
                {"external_id": "order-%s", "title": "Sofa, journey %s", "status": "%s", "amount": 12000.00, "currency": "RUB",
                 "cost": 5000.00, "created_at": "%s", "updated_at": "%s", "contact": {"emails": ["%s"], "phones": ["+7 916 555-02-88"]}%s}""";
        crm(crmId, secret, deal.formatted(tag, tag, "open", created, created, email, ""));
        crm(crmId, secret, deal.formatted(tag, tag, "won", created, paid, email,
                ", \"payments\": [{\"id\": \"p1\", \"amount\": 12000.00, \"paid_at\": \"" + paid + "\"}]"));
        String analyst = keycloak.login("acme-analyst");
        waitFor(() -> given().auth().oauth2(analyst).queryParam("crm", "retailcrm").when().get("/api/attribution/deals").then().statusCode(200)
                .extract().jsonPath().getList("items.findAll { it.external_id == 'order-" + tag + "' && it.status == 'won' }").size() == 1
                ? "" : null, "the won deal from the CRM webhook");

        String from = today.minusDays(1).toString();
        String to = today.plusDays(1).toString();
        for (String model : MODELS) {
            String run = given().auth().oauth2(analyst).contentType(ContentType.JSON).body("{\"model\": \"" + model + "\"}").when()
                    .post("/api/attribution/runs").then().statusCode(202).extract().path("id");
            waitFor(() -> "done".equals(given().auth().oauth2(analyst).when().get("/api/attribution/runs/" + run).then().statusCode(200)
                    .extract().path("status")) ? "" : null, model + " run to finish");
            String query = "/api/reporting/reports/campaigns?from=" + from + "&to=" + to + "&campaign=" + campaign + "&model=" + model;
            java.util.concurrent.atomic.AtomicReference<String> last = new java.util.concurrent.atomic.AtomicReference<>();
            JsonPath report;
            try {
                report = waitFor(() -> {
                    var answer = given().auth().oauth2(analyst).when().get(query).then().extract();
                    last.set(answer.statusCode() + " " + (answer.statusCode() == 200
                            ? "items " + answer.jsonPath().get("items") + " totals " + answer.jsonPath().get("totals") + " model "
                                    + answer.jsonPath().get("meta.model") : answer.asString()));
                    if (answer.statusCode() != 200) {
                        return null; // 400 until reporting has read the run's series
                    }
                    JsonPath r = new JsonPath(answer.asString()).using(new JsonPathConfig(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
                    // This run, or a later version of its series (the scheduled job keeps the workspace's models attributed),
                    // and tracking's and calltracking's feeds read (reporting aggregates them in the background).
                    return model.equals(r.getString("meta.model.series")) && atLeast(r, "totals.revenue", 1) && atLeast(r, "totals.sessions", 1)
                            && atLeast(r, "totals.leads_raw", 2) ? r : null;
                }, "the campaign report under " + model);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + " (run " + run + "); last answer: " + last.get(), e);
            }
            String what = model + ": " + report.prettify();
            assertEquals(1, report.getList("items").size(), what);
            assertEquals("paid_search", report.getString("items[0].channel"), what);
            money(report, "items[0].cost", "4000.00", what);
            money(report, "items[0].revenue", "12000.00", what);
            money(report, "items[0].gross_profit", "7000.00", what);
            money(report, "items[0].romi_pct", "75.00", what);
            // The call and the form are the same person's: one lead, the form its duplicate.
            money(report, "items[0].leads_raw", "2", what);
            money(report, "items[0].leads", "1", what);
            money(report, "items[0].duplicates", "1", what);
            money(report, "items[0].new_customers", "1.00", what);
            money(report, "items[0].sessions", "1", what);
        }

        // The payer, in the exclusion audience an ad platform pulls: the paid customers with the staff (an uploaded list:
        // a platform refuses lists under its minimum size).
        String payers = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\": \"Journey payers " + tag + "\", \"kind\": \"paid_customers\", \"within_days\": 30}")
                .when().post("/api/attribution/audiences").then().statusCode(201).extract().path("id");
        StringBuilder staffList = new StringBuilder("email\n");
        for (int i = 0; i < 100; i++) {
            staffList.append("staff").append(i).append(".").append(tag).append("@sofas.test\n");
        }
        String staff = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\": \"Journey staff " + tag + "\", \"kind\": \"uploaded\"}")
                .when().post("/api/attribution/audiences").then().statusCode(201).extract().path("id");
        given().auth().oauth2(admin).contentType("text/csv").body(staffList.toString()).when()
                .put("/api/attribution/audiences/" + staff + "/entries").then().statusCode(200);
        String exclusion = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\": \"Journey exclusion " + tag + "\", \"kind\": \"combined\", \"include\": [\"" + payers + "\", \"" + staff + "\"]}")
                .when().post("/api/attribution/audiences").then().statusCode(201).extract().path("id");
        String uploader = keycloak.client("ad-platform-acme", "dev-ad-platform-acme-secret");
        String hashed = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(email.getBytes(StandardCharsets.UTF_8)));
        waitFor(() -> {
            var response = given().auth().oauth2(uploader).when().get("/api/attribution/audiences/" + exclusion + "/export?platform=google")
                    .then().extract();
            return response.statusCode() == 200 && response.asString().contains(hashed) ? "" : null;
        }, "the payer in the exclusion audience's export");
        given().auth().oauth2(keycloak.login("globex-analyst")).when()
                .get("/api/reporting/reports/campaigns?from=" + from + "&to=" + to + "&campaign=" + campaign).then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(0));
    }

    private static void crm(String integration, String secret, String body) {
        String ts = String.valueOf(Instant.now().getEpochSecond());
        given().contentType(ContentType.JSON).header("X-Timestamp", ts).header("X-Signature", WebhookSigning.generic(secret, ts, body))
                .body(body).when().post("/webhooks/crm/generic/" + integration).then().statusCode(200);
    }

    private static boolean atLeast(JsonPath r, String path, int least) {
        Object v = r.get(path);
        return v != null && new BigDecimal(v.toString()).compareTo(BigDecimal.valueOf(least)) >= 0;
    }

    private static void money(JsonPath r, String path, String expected, String what) {
        Object v = r.get(path);
        assertEquals(new BigDecimal(expected), v == null ? null : new BigDecimal(v.toString()), path + " under " + what);
    }

    private static String page(StackSettings stack, String siteKey) {
        return """
                <!doctype html><html><head><title>Sofas</title></head><body>
                <header>Call us: <a id="phone" href="tel:84952033000">8 (495) 203-30-00</a></header>
                <form id="form" name="order">
                  <input id="email" name="email" type="email">
                  <input id="tel" name="phone" type="tel">
                  <button id="order" type="submit">Order</button>
                </form>
                <p id="status"></p>
                <script>
                  document.getElementById('form').addEventListener('submit', function (e) {
                    e.preventDefault(); document.getElementById('status').textContent = 'sent';
                  });
                </script>
                <script src="%s/t.js" data-site="%s" async></script>
                </body></html>""".formatted(stack.gatewayUrl(), siteKey);
    }
}
