package io.throughline.e2e;

import static io.restassured.RestAssured.given;
import static io.throughline.e2e.Eventually.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.throughline.devstack.StackSettings;
import io.throughline.testkit.Browser;
import io.throughline.testkit.TestSites;
import java.io.File;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The whole call-tracking loop with real parts: Chromium opens a paid landing page whose t.js (from the gateway)
 * asks /dni for a number and writes it over the site's numbers; sipp then calls that number; a JAIN-SIP mini-PBX
 * answers and reports the call through the signed generic webhook; calltracking matches it to the browser's
 * visitor and session, with its yclid and campaign.
 */
@ExtendWith(RunningStack.class)
class CallTrackingEndToEndTest {

    private static final List<String> POOL = List.of("+74952033101", "+74952033102");
    private static Keycloak keycloak;
    private static StackSettings stack;

    @BeforeAll
    static void connect(StackSettings settings) {
        keycloak = new Keycloak(settings);
        stack = settings;
    }

    private static String page(String siteKey) {
        return """
                <!doctype html><html><head><title>Sofas</title></head><body>
                <header>Call us: <a id="header" href="tel:84952032000">8 (495) 203-20-00</a></header>
                <p id="split">+7 (495) <b>203</b>-20-00</p>
                <div id="marked" class="roistat-phone">+7 495 203 20 00</div>
                <form><input id="field" name="phone" value="8 (495) 203-20-00"></form>
                <div id="later"></div>
                <script src="%s/t.js" data-site="%s" async></script>
                </body></html>""".formatted(stack.gatewayUrl(), siteKey);
    }

    @Test
    void aCallToTheNumberChromiumWasShownIsMatchedToItsSessionWithTheYclid() throws Exception {
        Browser.requireChromium();
        requireSipp();
        String admin = keycloak.login("acme-admin");
        String siteKey = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\": \"E2E calls\", \"domains\": [\"sofas.test\"], \"default_phone_region\": \"RU\"}")
                .when().post("/api/tracking/sites").then().statusCode(201).extract().path("public_key");
        String pool = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\": \"E2E DNI pool\", \"site_key\": \"" + siteKey + "\", \"hold_seconds\": 30, \"replace_numbers\": [\"8 (495) 203-20-00\"]}")
                .when().post("/api/calltracking/pools").then().statusCode(201).extract().path("id");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"numbers\": [\"" + String.join("\", \"", POOL) + "\"]}")
                .when().post("/api/calltracking/pools/" + pool + "/numbers").then().statusCode(201);
        JsonPath integration = given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"name\": \"E2E PBX\", \"format\": \"generic\"}")
                .when().post("/api/calltracking/integrations").then().statusCode(201).extract().jsonPath();

        try (TestSites sites = new TestSites(); Browser browser = Browser.person()) {
            sites.site("sofas.test", path -> path.startsWith("/landing") ? page(siteKey) : null);
            ChromeDriver driver = browser.driver();
            driver.get(sites.url("sofas.test", "/landing?utm_source=yandex&utm_medium=cpc&utm_campaign=sofas&yclid=77001"));
            String shown = waitFor(() -> {
                String digits = driver.findElement(By.id("header")).getText().replaceAll("\\D", "");
                return digits.endsWith("2032000") ? null : digits;
            }, "t.js to swap the header number");
            String number = "+7" + shown.substring(1);
            assertTrue(POOL.contains(number), shown);
            String national = number.substring(2);
            String grouped = national.substring(3, 6) + "-" + national.substring(6, 8) + "-" + national.substring(8);
            // The page's own notation stays; only the digits change; numbers split across elements too; inputs never.
            assertEquals("8 (495) " + grouped, driver.findElement(By.id("header")).getText());
            assertEquals("tel:" + number, driver.findElement(By.id("header")).getAttribute("href"));
            assertEquals("+7 (495) " + grouped, driver.findElement(By.id("split")).getText());
            assertEquals("+7 495 " + grouped.replace('-', ' '), driver.findElement(By.id("marked")).getText());
            assertEquals("8 (495) 203-20-00", driver.findElement(By.id("field")).getAttribute("value"));
            driver.executeScript("document.getElementById('later').innerHTML = '<span id=\"dyn\">Звоните: 8-495-203-20-00</span>'");
            waitFor(() -> driver.findElement(By.id("dyn")).getText().endsWith(national.substring(3, 6) + "-" + national.substring(6, 8) + "-"
                    + national.substring(8)) ? "" : null, "the number added later to be swapped too");
            Cookie visitor = driver.manage().getCookieNamed("_tlv");
            String analyst = keycloak.login("acme-analyst");
            // With a 30 s hold the page renews its number every 10 s while visible: the visit's last sign of life moves on.
            waitFor(() -> given().auth().oauth2(analyst).queryParam("bucket", "minute")
                    .queryParam("from", java.time.Instant.now().minusSeconds(300).toString()).queryParam("to", java.time.Instant.now().plusSeconds(60).toString())
                    .when().get("/api/calltracking/pools/" + pool + "/report").then().statusCode(200).extract().jsonPath()
                    .getDouble("average_session_minutes") >= 0.15 ? "" : null, "a heartbeat to extend the visit");
            assertEquals(shown, driver.findElement(By.id("header")).getText().replaceAll("\\D", ""), "the heartbeat keeps the same number");
            waitFor(() -> given().auth().oauth2(analyst).queryParam("visitor_id", visitor.getValue()).when().get("/api/tracking/sessions").then()
                    .extract().jsonPath().getList("items").isEmpty() ? null : "", "the browser's session in tracking");

            int pbxPort = freeUdpPort();
            try (MiniPbx pbx = new MiniPbx(pbxPort, stack.gatewayUrl() + "/webhooks/calls/generic/" + integration.getString("id"),
                    integration.getString("secret"))) {
                sipp(pbxPort, national.length() == 10 ? "7" + national : national, "79165550177");
                waitFor(() -> pbx.delivered.size() >= 2 ? "" : null, "the PBX to report the call: " + pbx.delivered);
                assertTrue(pbx.delivered.stream().allMatch(d -> d.contains(" 200 ")), pbx.delivered.toString());
            }
            JsonPath call = waitFor(() -> {
                JsonPath log = given().auth().oauth2(analyst).queryParam("caller", "+79165550177").when().get("/api/calltracking/calls").then()
                        .statusCode(200).extract().jsonPath();
                return !log.getList("items").isEmpty() && log.getBoolean("items[0].processed") ? log : null;
            }, "calltracking to match the call");
            assertEquals("reservation", call.getString("items[0].match_kind"));
            assertEquals(1.0f, call.getFloat("items[0].match_confidence"));
            assertEquals(visitor.getValue(), call.getString("items[0].visitor_id"));
            assertEquals("77001", call.getString("items[0].click_ids.yclid"));
            assertEquals("sofas", call.getString("items[0].campaign.campaign"));
            assertEquals("paid_search", call.getString("items[0].channel"));
            assertEquals("answered", call.getString("items[0].status"));
            assertTrue(call.getInt("items[0].talk_seconds") >= 2, call.prettify());
            assertEquals(number, call.getString("items[0].called_number"));
        }
    }

    @Test
    void aSiteThatNeedsConsentShowsNoTrackedNumberBeforeConsent() throws Exception {
        Browser.requireChromium();
        String admin = keycloak.login("acme-admin");
        String siteKey = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\": \"E2E consent\", \"domains\": [\"consent.test\"], \"default_phone_region\": \"RU\", \"consent_required\": true}")
                .when().post("/api/tracking/sites").then().statusCode(201).extract().path("public_key");
        String pool = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\": \"E2E consent pool\", \"site_key\": \"" + siteKey + "\", \"replace_numbers\": [\"8 (495) 203-20-00\"]}")
                .when().post("/api/calltracking/pools").then().statusCode(201).extract().path("id");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"numbers\": [\"+74952033105\"]}")
                .when().post("/api/calltracking/pools/" + pool + "/numbers").then().statusCode(201);
        try (TestSites sites = new TestSites(); Browser browser = Browser.person()) {
            sites.site("consent.test", path -> page(siteKey));
            ChromeDriver driver = browser.driver();
            driver.get(sites.url("consent.test", "/landing?utm_source=yandex&utm_medium=cpc"));
            Thread.sleep(3000);
            assertEquals("8 (495) 203-20-00", driver.findElement(By.id("header")).getText(), "no number before consent");
            assertEquals(null, driver.manage().getCookieNamed("_tlv"), "no cookie before consent");
            driver.executeScript("throughline('consent', true)");
            assertEquals("8 (495) 203-31-05", waitFor(() -> {
                String text = driver.findElement(By.id("header")).getText();
                return text.endsWith("20-00") ? null : text;
            }, "the number after consent"));
        }
    }

    static void requireSipp() {
        boolean present = Files.isExecutable(Path.of("/usr/bin/sipp"));
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("sipp missing under CI; .ci/run installs it (apt-get install sip-tester)");
        }
        Assumptions.assumeTrue(present, "sipp not installed (apt-get install sip-tester)");
    }

    /** Places one call with sipp to the mini-PBX and waits for it to end. */
    static void sipp(int pbxPort, String called, String caller) throws Exception {
        Path scenario = Files.createTempFile("throughline-uac", ".xml");
        try (var in = CallTrackingEndToEndTest.class.getResourceAsStream("/sip/uac-call.xml")) {
            Files.copy(in, scenario, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        File log = Files.createTempFile("throughline-sipp", ".log").toFile();
        Process sipp = new ProcessBuilder("sipp", "127.0.0.1:" + pbxPort, "-sf", scenario.toString(), "-s", called, "-key", "caller", caller,
                "-m", "1", "-i", "127.0.0.1", "-p", String.valueOf(freeUdpPort()), "-timeout", "30s", "-nostdin")
                .redirectErrorStream(true).redirectOutput(log).start();
        assertTrue(sipp.waitFor(45, TimeUnit.SECONDS), "sipp did not finish");
        assertEquals(0, sipp.exitValue(), "sipp failed: " + Files.readString(log.toPath()).lines().filter(l -> !l.isBlank()).limit(40).toList());
    }

    static int freeUdpPort() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
