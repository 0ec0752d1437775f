package io.throughline.e2e;

import static io.restassured.RestAssured.given;
import static io.throughline.e2e.Eventually.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.throughline.devstack.StackSettings;
import io.throughline.testkit.Browser;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard in a real browser on the real stack: headless Chromium opens the gateway's page, is sent to the real
 * Keycloak login page, signs in (authorization code with PKCE), and the page shows for the chosen period exactly the
 * figures the REST API gives for the same query (headline figures, the channel table and its drill-down); the token is
 * never written to the browser's storage; after sign-out another workspace's analyst signs in and sees none of the
 * first workspace's campaigns. Every page is saved as a screenshot under e2e/target/dashboard-screenshots.
 */
@ExtendWith(RunningStack.class)
class DashboardEndToEndTest {

    private static final Path SCREENSHOTS = Path.of(System.getProperty("throughline.root", ".")).resolve("e2e/target/dashboard-screenshots");
    private static final List<String> KPIS = List.of("cost", "cost_full", "revenue", "gross_profit");
    private static final List<String> NAIVE_KPIS = List.of("real_romi_pct", "naive_romi_pct");

    @Test
    void theDashboardSignsInThroughKeycloakAndShowsTheApisFiguresToEachWorkspaceOnly(StackSettings settings) throws Exception {
        Browser.requireChromium();
        Keycloak keycloak = new Keycloak(settings);
        String campaign = "e2e-dash-" + UUID.randomUUID().toString().substring(0, 8);
        LocalDate today = LocalDate.now(ZoneId.of("Europe/Moscow"));
        given().auth().oauth2(keycloak.client("crm-acme", "dev-crm-acme-secret")).contentType(ContentType.JSON)
                .body("{\"rows\": [{\"day\": \"" + today + "\", \"platform\": \"yandex_direct\", \"account\": \"e2e\", \"campaign\": \"" + campaign
                        + "\", \"clicks\": 12, \"cost\": 1234.50, \"currency\": \"RUB\"}]}")
                .when().post("/api/reporting/spend").then().statusCode(200);
        String site = "E2E dashboard site " + campaign;
        given().auth().oauth2(keycloak.login("acme-admin")).contentType(ContentType.JSON)
                .body("{\"name\": \"" + site + "\", \"domains\": [\"" + campaign + ".example\"], \"default_phone_region\": \"RU\"}")
                .when().post("/api/tracking/sites").then().statusCode(201);
        String acme = keycloak.login("acme-analyst");
        String channel = waitFor(() -> {
            JsonPath r = api(acme, "/api/reporting/reports/campaigns", Map.of("from", today.minusDays(1).toString(), "to", today.plusDays(1).toString(),
                    "campaign", campaign));
            return r == null || r.getList("items").isEmpty() ? null : r.getString("items[0].channel");
        }, "the imported spend in the campaign report");
        Files.createDirectories(SCREENSHOTS);

        try (Browser browser = Browser.headless()) {
            ChromeDriver driver = browser.driver();
            driver.get(settings.gatewayUrl() + "/?lang=en");
            signIn(driver, "acme-analyst");
            waitFor(() -> "overview".equals(loaded(driver)) ? "" : null, "the overview page after sign-in");
            assertTrue(driver.findElement(By.id("who")).getText().contains("acme"), driver.findElement(By.id("who")).getText());
            assertTrue(driver.findElement(By.id("who")).getText().contains("analyst"));
            // The period as a reader picks it: up to tomorrow, so that today's spend counts in any zone.
            choosePeriodEnd(driver, today.plusDays(1));
            Map<String, String> query = query(driver);
            assertHeadlineFigures(driver, acme, query);
            screenshot(driver, "overview-acme");
            Object stored = driver.executeScript("return JSON.stringify(Object.assign({}, window.localStorage))"
                    + " + JSON.stringify(Object.assign({}, window.sessionStorage))");
            assertFalse(String.valueOf(stored).contains("eyJ"), "no token in local or session storage: " + stored);

            driver.findElement(By.cssSelector("#nav a[data-page=channels]")).click();
            waitFor(() -> "channels".equals(loaded(driver)) ? "" : null, "the channels page");
            JsonPath channels = api(acme, "/api/reporting/reports/channels", withLimit(query));
            assertEquals(channels.getList("items").size(), driver.findElements(By.cssSelector("#report tbody tr")).size(), "one row per channel");
            assertCell(driver, "#report tfoot", "cost", channels.getString("totals.cost"));
            assertCell(driver, "#report tfoot", "revenue", channels.getString("totals.revenue"));
            screenshot(driver, "channels-acme");

            driver.findElement(By.cssSelector("a[data-open='" + channel + "']")).click();
            waitFor(() -> driver.findElement(By.tagName("h1")).getText().equals("Campaigns") && "channels".equals(loaded(driver)) ? "" : null,
                    "the campaigns of " + channel);
            assertTrue(driver.getPageSource().contains(campaign), "the drill-down lists the campaign");
            Map<String, String> drilled = new java.util.HashMap<>(withLimit(query));
            drilled.put("channel", channel);
            JsonPath campaigns = api(acme, "/api/reporting/reports/campaigns", drilled);
            assertEquals(campaigns.getList("items").size(), driver.findElements(By.cssSelector("#report tbody tr")).size());
            assertCell(driver, "#report tfoot", "cost", campaigns.getString("totals.cost"));
            screenshot(driver, "campaigns-acme");

            for (String[] page : REPORT_PAGES) {
                assertReportPage(driver, acme, page[0], page[1], query);
                screenshot(driver, page[0] + "-acme");
            }
            open(driver, "audiences");
            JsonPath audiences = api(acme, "/api/attribution/audiences", Map.of("limit", "100"));
            assertEquals(audiences.getList("items").size(), driver.findElements(By.cssSelector("#audience-table tbody tr")).size(), "one row per audience");
            screenshot(driver, "audiences-acme");
            assertFalse(driver.findElement(By.cssSelector("#nav a[data-page=settings]")).isDisplayed(), "an analyst has no settings");
            driver.executeScript("window.location.hash = '#/settings'");
            waitFor(() -> "overview".equals(loaded(driver)) ? "" : null, "an analyst sent to the overview instead of the settings");

            driver.findElement(By.id("sign-out")).click();
            signIn(driver, "globex-admin");
            waitFor(() -> "overview".equals(loaded(driver)) && driver.findElement(By.id("who")).getText().contains("globex") ? "" : null,
                    "globex's overview after signing out and in again");
            String globex = keycloak.login("globex-admin");
            choosePeriodEnd(driver, today.plusDays(1));
            assertHeadlineFigures(driver, globex, query(driver));
            screenshot(driver, "overview-globex");
            driver.findElement(By.cssSelector("#nav a[data-page=channels]")).click();
            waitFor(() -> "channels".equals(loaded(driver)) ? "" : null, "globex's channels page");
            assertFalse(driver.getPageSource().contains(campaign), "another workspace's campaign never shows");
            List<WebElement> sameChannel = driver.findElements(By.cssSelector("a[data-open='" + channel + "']"));
            if (!sameChannel.isEmpty()) {
                sameChannel.get(0).click();
                waitFor(() -> driver.findElement(By.tagName("h1")).getText().equals("Campaigns") && "channels".equals(loaded(driver)) ? "" : null,
                        "globex's campaigns of " + channel);
                assertFalse(driver.getPageSource().contains(campaign), "another workspace's campaign never shows");
            }
            screenshot(driver, "channels-globex");
            for (String[] page : REPORT_PAGES) {
                assertReportPage(driver, globex, page[0], page[1], query(driver));
                assertFalse(driver.getPageSource().contains(campaign), page[0] + ": another workspace's campaign never shows");
                screenshot(driver, page[0] + "-globex");
            }
            open(driver, "settings");
            assertTrue(driver.getPageSource().contains("Channel rules"), "an admin sees the settings");
            assertFalse(driver.getPageSource().contains(site), "another workspace's site never shows");
            JsonPath sites = api(globex, "/api/tracking/sites", Map.of("limit", "100"));
            for (String name : sites.<String>getList("items.name")) {
                assertTrue(driver.getPageSource().contains(name), "globex's own site " + name);
            }
            // Settings write through the API: a site added with the form is globex's, with its snippet, and not acme's.
            String added = "Dashboard-made site " + campaign;
            driver.findElement(By.cssSelector("form[data-create='/api/tracking/sites'] input[name=name]")).sendKeys(added);
            driver.findElement(By.cssSelector("form[data-create='/api/tracking/sites'] input[name=domains]")).sendKeys(campaign + "-globex.example");
            driver.findElement(By.cssSelector("form[data-create='/api/tracking/sites'] button")).click();
            waitFor(() -> driver.getPageSource().contains(added) && "settings".equals(loaded(driver)) ? "" : null, "the new site listed");
            assertTrue(api(globex, "/api/tracking/sites", Map.of("limit", "100")).<String>getList("items.name").contains(added));
            assertFalse(api(keycloak.login("acme-admin"), "/api/tracking/sites", Map.of("limit", "100")).<String>getList("items.name").contains(added));
            assertTrue(driver.getPageSource().contains("data-site="), "the snippet to copy");
            screenshot(driver, "settings-globex");

            // ru-RU by default (a reload signs in again through Keycloak's session, without the login form), and readable on a phone.
            driver.get(settings.gatewayUrl() + "/");
            waitFor(() -> "overview".equals(loaded(driver)) ? "" : null, "the overview after a reload");
            String rouble = driver.findElement(By.cssSelector("[data-kpi=cost] .value")).getText();
            assertTrue(rouble.endsWith("₽"), "ru-RU money: " + rouble);
            driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
            waitFor(() -> Boolean.TRUE.equals(driver.executeScript("return document.documentElement.scrollWidth <= window.innerWidth + 1")) ? "" : null,
                    "the overview fitting a phone's width");
            screenshot(driver, "overview-phone-globex");
        }
    }

    @Test
    void aSessionThatEndsWhileThePageIsOpenLeadsBackToTheLoginPage(StackSettings settings) throws Exception {
        Browser.requireChromium();
        Keycloak keycloak = new Keycloak(settings);
        int lifespan = keycloak.accessTokenLifespan();
        keycloak.accessTokenLifespan(15);
        try (Browser browser = Browser.headless()) {
            ChromeDriver driver = browser.driver();
            driver.get(settings.gatewayUrl() + "/?lang=en#/channels");
            signIn(driver, "acme-analyst");
            waitFor(() -> "channels".equals(loaded(driver)) ? "" : null, "the channels page after sign-in");
            keycloak.endSessions("acme-analyst");
            // The token expires within 15 s; refreshing it fails without a session: the login page, not a blank screen.
            waitFor(() -> driver.findElements(By.id("username")).isEmpty() ? null : "", "the login page once the session has ended");
            Files.createDirectories(SCREENSHOTS);
            screenshot(driver, "session-ended");
            signIn(driver, "acme-analyst");
            waitFor(() -> "channels".equals(loaded(driver)) ? "" : null, "back on the page after signing in again");
        } finally {
            keycloak.accessTokenLifespan(lifespan);
        }
    }

    /** The report pages with the report each one reads. */
    private static final String[][] REPORT_PAGES = {{"cohorts", "cohorts"}, {"funnel", "funnel"}, {"calls", "calls"}, {"quality", "data-quality"}};

    private static void open(ChromeDriver driver, String page) {
        driver.executeScript("window.location.hash = '#/' + arguments[0]", page);
        waitFor(() -> page.equals(loaded(driver)) ? "" : null, "the " + page + " page");
    }

    /** The page shows the report's rows and, in its totals row, the API's totals for the same query. */
    private static void assertReportPage(ChromeDriver driver, String token, String page, String report, Map<String, String> query) {
        open(driver, page);
        JsonPath answer = api(token, "/api/reporting/reports/" + report, withLimit(query));
        assertEquals(answer.getList("items").size(), driver.findElements(By.cssSelector("#report tbody tr")).size(), page + ": one row per item");
        List<WebElement> totals = driver.findElements(By.cssSelector("#report tfoot [data-column]"));
        assertFalse(totals.isEmpty(), page + " shows totals");
        for (WebElement total : totals) {
            String column = total.getAttribute("data-column");
            assertSame(answer.getString("totals." + column), total.getAttribute("data-value"), page + " total " + column);
        }
    }

    private static void signIn(ChromeDriver driver, String user) {
        waitFor(() -> driver.findElements(By.id("username")).isEmpty() ? null : "", "Keycloak's login page");
        driver.findElement(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(Keycloak.PASSWORD);
        driver.findElement(By.id("kc-login")).click();
    }

    /** Sets the period's end as a reader does (the date field, then its change event) and waits for the page again. */
    private static void choosePeriodEnd(ChromeDriver driver, LocalDate to) {
        String before = driver.findElement(By.id("page")).getAttribute("data-renders");
        driver.executeScript("const f = document.getElementById('to'); f.value = arguments[0]; f.dispatchEvent(new Event('change'));", to.toString());
        waitFor(() -> !before.equals(driver.findElement(By.id("page")).getAttribute("data-renders")) && loaded(driver) != null ? "" : null,
                "the page for the new period");
    }

    private static String loaded(ChromeDriver driver) {
        List<WebElement> page = driver.findElements(By.cssSelector("#page:not([aria-busy])"));
        return page.isEmpty() ? null : page.get(0).getAttribute("data-loaded");
    }

    /** The period and model the page shows, as report query parameters. */
    private static Map<String, String> query(ChromeDriver driver) {
        Map<String, String> q = new java.util.HashMap<>();
        q.put("from", driver.findElement(By.id("from")).getAttribute("value"));
        q.put("to", driver.findElement(By.id("to")).getAttribute("value"));
        String model = driver.findElement(By.id("model")).getAttribute("value");
        if (model != null && !model.isEmpty()) {
            q.put("model", model);
        }
        return q;
    }

    private static Map<String, String> withLimit(Map<String, String> query) {
        Map<String, String> q = new java.util.HashMap<>(query);
        q.put("limit", "1000");
        return q;
    }

    private static void assertHeadlineFigures(ChromeDriver driver, String token, Map<String, String> query) {
        JsonPath channels = api(token, "/api/reporting/reports/channels", query);
        JsonPath naive = api(token, "/api/reporting/reports/naive-vs-real", query);
        for (String kpi : KPIS) {
            assertSame(channels.getString("totals." + kpi), driver.findElement(By.cssSelector("[data-kpi=" + kpi + "]")).getAttribute("data-value"), kpi);
        }
        for (String kpi : NAIVE_KPIS) {
            assertSame(naive.getString("totals." + kpi), driver.findElement(By.cssSelector("[data-kpi=" + kpi + "]")).getAttribute("data-value"), kpi);
        }
        JsonPath trend = api(token, "/api/reporting/reports/trend", withLimit(query));
        assertEquals(trend.getList("items").size(), driver.findElements(By.cssSelector("#trend-table tbody tr")).size(), "one row per day");
        assertSame(trend.getString("totals.cost"), driver.findElement(By.cssSelector("#trend-table tfoot [data-column=cost]")).getAttribute("data-value"),
                "the days' spend");
        assertSame(channels.getString("totals.cost"), trend.getString("totals.cost"), "the trend sums to the period");
        String shown = driver.findElement(By.cssSelector("[data-kpi=cost] .value")).getText();
        String expected = new BigDecimal(channels.getString("totals.cost")).setScale(0, java.math.RoundingMode.HALF_UP).toPlainString(); // Intl rounds half away from zero
        assertEquals(expected, shown.replaceAll("[^0-9-]", ""), "the spend shown, in whole roubles: " + shown);
    }

    private static void assertCell(ChromeDriver driver, String scope, String column, String expected) {
        assertSame(expected, driver.findElement(By.cssSelector(scope + " [data-column=" + column + "]")).getAttribute("data-value"), column);
    }

    /** The API's value and the page's, equal as numbers (3500.00 and 3500), or both absent. */
    private static void assertSame(String api, String page, String what) {
        if (api == null || api.isEmpty()) {
            assertTrue(page == null || page.isEmpty(), what + ": the API has none, the page shows " + page);
        } else if (api.matches("-?[0-9]+(\\.[0-9]+)?")) {
            assertEquals(0, new BigDecimal(api).compareTo(new BigDecimal(page)), what + ": API " + api + ", page " + page);
        } else {
            assertEquals(api, page, what);
        }
    }

    private static JsonPath api(String token, String path, Map<String, String> query) {
        var answer = given().auth().oauth2(token).queryParams(query).when().get(path).then().extract();
        if (answer.statusCode() != 200) {
            return null;
        }
        return new JsonPath(answer.asString()).using(new JsonPathConfig(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }

    private static void screenshot(ChromeDriver driver, String name) throws java.io.IOException {
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
