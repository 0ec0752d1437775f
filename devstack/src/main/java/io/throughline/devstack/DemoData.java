package io.throughline.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The demo data set, loaded through the gateway with the demo admins' tokens exactly as a user would:
 * per workspace a site, a number pool for it, amoCRM stage mappings, 90 days of ad spend, two days of visits
 * through /collect, calls, CRM deals for the leads and an attribution run. Re-running it changes nothing that is already there, except that it adds fresh visits.
 */
final class DemoData {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** platform, utm_source, utm_medium, utm_campaign of the demo visits' paid sources. */
    private static final String[][] SOURCES = {{"yandex_direct", "yandex", "cpc", "brand_search"}, {"yandex_direct", "yandex", "cpc", "generic_search"},
            {"google_ads", "google", "cpc", "pmax"}, {"vk_ads", "vk", "cpc", "retargeting"}, {"telegram_ads", "telegram", "post", "channel_posts"}};

    private final StackSettings settings;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newHttpClient();

    DemoData(StackSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    void load() throws Exception {
        List<String> tenants = List.of("acme", "globex");
        int steps = tenants.size() * 10;
        int step = 0;
        out.println("Loading the demo data set ...");
        for (String tenant : tenants) {
            String token = token(tenant + "-admin");
            String siteKey = site(tenant, token);
            out.printf("  [%2d/%d] %s: site %s%n", ++step, steps, tenant, siteKey);
            String pool = pool(siteKey, token);
            out.printf("  [%2d/%d] %s: number pool %s%n", ++step, steps, tenant, pool);
            call("PUT", "/api/attribution/stage-mappings/amocrm", token, """
                    {"mappings": [{"stage": "Первичный контакт", "canonical": "lead"},
                                  {"stage": "Переговоры", "canonical": "qualified"},
                                  {"stage": "КП отправлено", "canonical": "proposal"},
                                  {"stage": "Счёт выставлен", "canonical": "invoice"},
                                  {"stage": "Успешно реализовано", "canonical": "won"},
                                  {"stage": "Оплачено", "canonical": "paid"},
                                  {"stage": "Закрыто и не реализовано", "canonical": "lost"}]}""");
            out.printf("  [%2d/%d] %s: amoCRM stage mappings%n", ++step, steps, tenant);
            call("POST", "/api/reporting/spend", token, costs(tenant, token));
            out.printf("  [%2d/%d] %s: 90 days of ad spend on %d campaigns (the spend import API)%n", ++step, steps, tenant, SOURCES.length);
            DemoVisits visits = new DemoVisits(settings, out);
            int events = visits.send(tenant, siteKey);
            out.printf("  [%2d/%d] %s: demo visits over the last two days, %d new events%n", ++step, steps, tenant, events);
            int calls = new DemoCalls(settings, out).load(tenant, tenants.indexOf(tenant) + 1, token, siteKey, pool);
            out.printf("  [%2d/%d] %s: tracked numbers, a demo PBX and %d calls from ad visitors shown a number%n", ++step, steps, tenant, calls);
            DemoDeals deals = new DemoDeals(settings, out);
            int stored = deals.load(tenant, token, visits.leads);
            out.printf("  [%2d/%d] %s: %d CRM deals for the demo leads (won and paid, lost, open)%n", ++step, steps, tenant, stored);
            String run = deals.attribute(tenant, token);
            out.printf("  [%2d/%d] %s: attribution run of the default model: %s%n", ++step, steps, tenant, run);
            out.printf("  [%2d/%d] %s: reports: %s%n", ++step, steps, tenant, headline(token));
            out.printf("  [%2d/%d] %s: exclusion audiences: %s%n", ++step, steps, tenant, audiences(tenant, token));
        }
        out.println("  \u2713 demo data loaded");
    }

    private String pool(String siteKey, String token) throws Exception {
        for (JsonNode pool : JSON.readTree(send("GET", "/api/calltracking/pools", token, null).body()).path("items")) {
            if (pool.path("name").asText().equals("Main site pool")) {
                return pool.path("id").asText();
            }
        }
        HttpResponse<String> created = send("POST", "/api/calltracking/pools", token, "{\"name\": \"Main site pool\", \"site_key\": \"" + siteKey
                + "\", \"hold_seconds\": 180, \"replace_numbers\": [\"+7 495 400-70-70\"], \"display_mask\": \"8 (XXX) XXX-XX-XX\"}");
        if (created.statusCode() != 201) {
            throw new IllegalStateException("creating the demo pool failed: " + created.statusCode() + " " + created.body());
        }
        return JSON.readTree(created.body()).path("id").asText();
    }

    private String site(String tenant, String token) throws Exception {
        JsonNode existing = JSON.readTree(send("GET", "/api/tracking/sites", token, null).body()).path("items");
        for (JsonNode site : existing) {
            if (site.path("name").asText().equals("Demo site")) {
                return site.path("public_key").asText();
            }
        }
        HttpResponse<String> created = send("POST", "/api/tracking/sites", token, "{\"name\": \"Demo site\", \"domains\": [\""
                + tenant + ".example\"], \"default_phone_region\": \"RU\", \"consent_required\": false}");
        return JSON.readTree(created.body()).path("public_key").asText();
    }

    /** 90 days of spend, keyed as tracking classifies the demo's visits (the channel asked of the rules tester). */
    private String costs(String tenant, String token) throws IOException, InterruptedException {
        Random random = new Random(tenant.hashCode());
        LocalDate end = LocalDate.now();
        List<String> rows = new ArrayList<>();
        for (String[] source : SOURCES) {
            String url = "https://" + tenant + ".example/?utm_source=" + source[1] + "&utm_medium=" + source[2] + "&utm_campaign=" + source[3];
            String channel = JSON.readTree(send("POST", "/api/tracking/channel-rules/test", token, "{\"url\": \"" + url + "\"}").body())
                    .path("channel").asText("paid_other");
            for (int day = 0; day < 90; day++) {
                long kopecks = 150_000 + random.nextInt(900_000);
                long clicks = 20 + random.nextInt(80);
                rows.add(String.format(Locale.ROOT, "{\"day\": \"%s\", \"platform\": \"%s\", \"account\": \"%s-%s\", \"campaign\": \"%s\","
                        + " \"clicks\": %d, \"impressions\": %d, \"cost\": %d.%02d, \"currency\": \"RUB\", \"utm_source\": \"%s\","
                        + " \"utm_medium\": \"%s\", \"channel\": \"%s\"}", end.minusDays(day), source[0], tenant, source[0], source[3], clicks,
                        clicks * 35, kopecks / 100, kopecks % 100, source[1], source[2], channel));
            }
        }
        return "{\"rows\": [" + String.join(",", rows) + "]}";
    }

    /** The channel report of the 90 days once reporting has read the run (it reads the feeds every few seconds). */
    private String headline(String token) throws IOException, InterruptedException {
        LocalDate today = LocalDate.now(java.time.ZoneId.of("Europe/Moscow"));
        String path = "/api/reporting/reports/channels?from=" + today.minusDays(89) + "&to=" + today;
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(90).toNanos();
        JsonNode totals = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = send("GET", path, token, null);
            if (r.statusCode() == 200) {
                totals = JSON.readTree(r.body()).path("totals");
                if (totals.path("revenue").asDouble() > 0) {
                    break;
                }
            }
            Thread.sleep(1000);
        }
        if (totals == null) {
            return "not ready yet (see " + path + ")";
        }
        String late = totals.path("revenue").asDouble() > 0 ? "" : "; reporting has not read the attribution run yet, it will within a minute";
        return String.format(Locale.ROOT, "spend %s RUB, revenue %s RUB, ROMI %s %% (GET %s)%s", totals.path("cost").asText(),
                totals.path("revenue").asText(), totals.path("romi_pct").isNull() ? "n/a" : totals.path("romi_pct").asText(), path, late);
    }

    /**
     * The exclusion audience a retargeting campaign should leave out: customers who paid in the last year plus the
     * staff, through the audiences API; waits (up to 30 s) for the first recompute and says how many people it holds.
     */
    private String audiences(String tenant, String token) throws IOException, InterruptedException {
        String paid = audience(token, "{\"name\": \"Paid customers, last 365 days\", \"kind\": \"paid_customers\", \"within_days\": 365}");
        String staff = audience(token, "{\"name\": \"Staff\", \"kind\": \"uploaded\", \"purpose\": \"employees\"}");
        StringBuilder csv = new StringBuilder("email\n");
        for (int i = 1; i <= 12; i++) {
            csv.append("staff").append(i).append('@').append(tenant).append("-demo.ru\n");
        }
        HttpRequest upload = HttpRequest.newBuilder(URI.create(settings.gatewayUrl() + "/api/attribution/audiences/" + staff + "/entries"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "text/csv").PUT(HttpRequest.BodyPublishers.ofString(csv.toString()))
                .build();
        http.send(upload, HttpResponse.BodyHandlers.ofString());
        String exclusion = audience(token, "{\"name\": \"Exclude from retargeting\", \"kind\": \"combined\", \"include\": [\"" + paid + "\", \""
                + staff + "\"]}");
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        int size = 0;
        while (System.nanoTime() < deadline) {
            size = JSON.readTree(send("GET", "/api/attribution/audiences/" + exclusion, token, null).body()).path("size").asInt();
            if (size > 12) {
                break;
            }
            Thread.sleep(1000);
        }
        return size + " people in \"Exclude from retargeting\" (GET /api/attribution/audiences/" + exclusion + "/export?platform=google"
                + " as ad-platform-" + tenant + "; lists under 100 people are refused, as the platforms do)";
    }

    /** An audience by its definition: created, or the existing one of that name. */
    private String audience(String token, String definition) throws IOException, InterruptedException {
        HttpResponse<String> created = send("POST", "/api/attribution/audiences", token, definition);
        if (created.statusCode() == 201) {
            return JSON.readTree(created.body()).path("id").asText();
        }
        String name = JSON.readTree(definition).path("name").asText();
        for (JsonNode a : JSON.readTree(send("GET", "/api/attribution/audiences", token, null).body()).path("items")) {
            if (a.path("name").asText().equals(name)) {
                return a.path("id").asText();
            }
        }
        throw new IllegalStateException("audience " + name + ": " + created.statusCode() + " " + created.body());
    }

    private String token(String user) throws IOException, InterruptedException {
        String form = "grant_type=password&client_id=throughline-cli&username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(StackSettings.value("throughline.demo.password", "throughline"), StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(settings.realmUrl() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Keycloak refused the demo login " + user + ": " + response.statusCode());
        }
        return JSON.readTree(response.body()).path("access_token").asText();
    }

    private int call(String method, String path, String token, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = send(method, path, token, body);
        if (response.statusCode() >= 400 && response.statusCode() != 409) {
            throw new IllegalStateException(method + " " + path + " failed: " + response.statusCode() + " " + response.body());
        }
        return response.statusCode();
    }

    private HttpResponse<String> send(String method, String path, String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.gatewayUrl() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
