package io.throughline.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo data set, loaded through the gateway with the demo admins' tokens exactly as a user would: acme is an online school,
 * globex a printing house ({@link DemoStories}: 12 months of spend, visits, leads, calls, deals, payments and repeat orders,
 * seeded and scaled by {@code throughline.demo.seed} / {@code throughline.demo.scale}); per workspace also a number pool with
 * live DNI calls, amoCRM stage mappings, an attribution run and the exclusion audience. At the end it prints the stories as the
 * reports show them. Loading it again stores nothing twice (the plan's ids derive from the seed).
 */
public final class DemoData {

    private static final int STEPS_PER_TENANT = 11;

    private final StackSettings settings;
    private final PrintStream out;
    private final DemoApi api;
    private final int scale;
    private final long seed;

    public DemoData(StackSettings settings, PrintStream out) {
        this(settings, out, Integer.parseInt(StackSettings.value("throughline.demo.scale", "1")),
                Long.parseLong(StackSettings.value("throughline.demo.seed", "2026")));
    }

    public DemoData(StackSettings settings, PrintStream out, int scale, long seed) {
        if (scale < 1 || scale > 100) {
            throw new IllegalArgumentException("throughline.demo.scale must be 1..100");
        }
        this.settings = settings;
        this.out = out;
        this.api = new DemoApi(settings);
        this.scale = scale;
        this.seed = seed;
    }

    /** The plans this loader sends today (the end-to-end test compares the reports with them). */
    public List<DemoPlan> plans() {
        LocalDate today = LocalDate.now(DemoStories.ZONE);
        return List.of(DemoStories.school("acme", seed, scale, today), DemoStories.printingHouse("globex", seed, scale, today));
    }

    public List<DemoPlan> load() throws Exception {
        List<DemoPlan> plans = plans();
        int steps = plans.size() * STEPS_PER_TENANT;
        int step = 0;
        out.printf("Loading the demo data set (seed %d, scale %d) ...%n", seed, scale);
        for (DemoPlan plan : plans) {
            String tenant = plan.tenant();
            int index = plans.indexOf(plan) + 1;
            String token = api.token(tenant + "-admin");
            JsonNode site = site(plan, token);
            String siteId = site.path("id").asText();
            String siteKey = site.path("public_key").asText();
            out.printf("  [%2d/%d] %s (%s): site %s%n", ++step, steps, tenant, plan.business, siteKey);
            String pool = pool(siteKey, token);
            out.printf("  [%2d/%d] %s: number pool %s%n", ++step, steps, tenant, pool);
            api.call("PUT", "/api/attribution/stage-mappings/amocrm", token, """
                    {"mappings": [{"stage": "Первичный контакт", "canonical": "lead"},
                                  {"stage": "Переговоры", "canonical": "qualified"},
                                  {"stage": "КП отправлено", "canonical": "proposal"},
                                  {"stage": "Счёт выставлен", "canonical": "invoice"},
                                  {"stage": "Успешно реализовано", "canonical": "won"},
                                  {"stage": "Оплачено", "canonical": "paid"},
                                  {"stage": "Закрыто и не реализовано", "canonical": "lost"}]}""");
            out.printf("  [%2d/%d] %s: amoCRM stage mappings%n", ++step, steps, tenant);
            DemoHistory history = new DemoHistory(api, out);
            history.naiveBelief(plan, token);
            history.overheads(plan, token);
            out.printf("  [%2d/%d] %s: report settings and %d monthly overhead items%n", ++step, steps, tenant, plan.overheads.size());
            int rows = history.spend(plan, token);
            out.printf("  [%2d/%d] %s: %d days x campaigns of ad spend over 12 months (the spend import API)%n", ++step, steps, tenant, rows);
            // Deals first: identity then knows who paid when, so a visit after a purchase is a returning customer's.
            int deals = history.deals(plan, token);
            out.printf("  [%2d/%d] %s: %d CRM deals (paid, refunded, won but unpaid, lost, open, repeat orders)%n", ++step, steps, tenant, deals);
            out.printf("  [%2d/%d] %s: exclusion audiences: %s%n", ++step, steps, tenant, audiences(plan, token));
            int events = history.visits(plan, token, siteId, siteKey);
            out.printf("  [%2d/%d] %s: %d visits, %d new events (the hit import and /collect)%n", ++step, steps, tenant, plan.visits().size(), events);
            JsonNode pbx = api.call("POST", "/api/calltracking/integrations", token, "{\"name\": \"Demo PBX " + Instant.now().getEpochSecond()
                    + "\", \"format\": \"generic\"}");
            String webhook = settings.gatewayUrl() + "/webhooks/calls/generic/" + pbx.path("id").asText();
            String secret = pbx.path("secret").asText();
            int printed = history.printCalls(plan, token, siteKey, String.format(Locale.ROOT, "+749541%d7070", index), webhook, secret);
            int live = new DemoCalls(api).load(tenant, index, token, siteKey, pool, webhook, secret);
            out.printf("  [%2d/%d] %s: %d calls to the print campaign's static number, %d live calls from ad visitors shown a pool number%n",
                    ++step, steps, tenant, printed, live);
            String[] run = attribute(tenant, token);
            out.printf("  [%2d/%d] %s: attribution run of the default model: %s%n", ++step, steps, tenant, run[1]);
            out.printf("  [%2d/%d] %s: the stories, as the reports show them (GET /api/reporting/reports/...):%n", ++step, steps, tenant);
            for (String line : stories(plan, token, run[0])) {
                out.println("           " + line);
            }
        }
        out.println("  \u2713 demo data loaded");
        return plans;
    }

    private String pool(String siteKey, String token) throws Exception {
        for (JsonNode pool : api.call("GET", "/api/calltracking/pools", token, null).path("items")) {
            if (pool.path("name").asText().equals("Main site pool")) {
                return pool.path("id").asText();
            }
        }
        return api.call("POST", "/api/calltracking/pools", token, "{\"name\": \"Main site pool\", \"site_key\": \"" + siteKey
                + "\", \"hold_seconds\": 180, \"replace_numbers\": [\"+7 495 400-70-70\"], \"display_mask\": \"8 (XXX) XXX-XX-XX\"}").path("id").asText();
    }

    private JsonNode site(DemoPlan plan, String token) throws Exception {
        for (JsonNode site : api.call("GET", "/api/tracking/sites", token, null).path("items")) {
            if (site.path("name").asText().equals("Demo site")) {
                return site;
            }
        }
        return api.call("POST", "/api/tracking/sites", token, "{\"name\": \"Demo site\", \"domains\": [\"" + plan.domain
                + "\"], \"default_phone_region\": \"RU\", \"consent_required\": false}");
    }

    /** Starts a run of the default model and prints its progress until it is done; answers its version in the series and status. */
    private String[] attribute(String tenant, String token) throws Exception {
        HttpResponse<String> started = api.send("POST", "/api/attribution/runs", token, "{\"model\": \"last_non_direct\"}");
        for (int wait = 0; started.statusCode() == 409 && wait < 300; wait++) {
            Thread.sleep(1000); // the scheduled job is making a version of this model; one at a time
            started = api.send("POST", "/api/attribution/runs", token, "{\"model\": \"last_non_direct\"}");
        }
        if (started.statusCode() != 202) {
            throw new IllegalStateException("the attribution run was refused: " + started.statusCode() + " " + started.body());
        }
        String id = DemoApi.JSON.readTree(started.body()).path("id").asText();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
        double shown = -1;
        while (Instant.now().isBefore(deadline)) {
            JsonNode run = api.call("GET", "/api/attribution/runs/" + id, token, null);
            double percent = run.path("progress").path("percent").asDouble();
            if (percent != shown) {
                out.printf("           %s: attribution run %s %.0f%% (%d/%d people)%n", tenant, run.path("series").asText(), percent,
                        run.path("progress").path("persons_done").asInt(), run.path("progress").path("persons_total").asInt());
                shown = percent;
            }
            if (!run.path("status").asText().equals("running")) {
                return new String[] {run.path("version").asText("0"), run.path("status").asText() + (run.hasNonNull("error") ? ": " + run.path("error").asText() : "")};
            }
            Thread.sleep(250);
        }
        return new String[] {"0", "still running"};
    }

    /** Each story's row of the report that tells it, once reporting has read the run (it reads the feeds every few seconds). */
    private List<String> stories(DemoPlan plan, String token, String version) throws Exception {
        List<String> lines = new ArrayList<>();
        LocalDate today = plan.today();
        String year = "from=" + today.minusDays(364) + "&to=" + today + "&model=last_non_direct";
        for (DemoPlan.Story story : plan.stories()) {
            lines.add(story.text());
            switch (story.name()) {
                case "naive vs real", "retargeting" -> {
                    JsonNode row = row(token, "/api/reporting/reports/naive-vs-real?group_by=campaign&campaign=" + story.campaign() + "&" + year,
                            version, plan.rawLeadsOf(story.campaign()));
                    lines.add(row == null ? "  (reporting has not read the run yet: GET /api/reporting/reports/naive-vs-real?group_by=campaign&" + year + ")"
                            : String.format(Locale.ROOT, "  naive-vs-real: cost %s, raw leads %s (%s clean), naive ROMI %s %%, real ROMI %s %%,"
                            + " duplicates and returning customers %s pts", row.path("cost").asText(), row.path("leads_raw").asText(),
                            row.path("leads").asText(), row.path("naive_romi_pct").asText(), row.path("real_romi_pct").asText(),
                            row.path("bridge_duplicates_and_returning_pts").asText()));
                }
                case "cohort payback" -> {
                    JsonNode row = row(token, "/api/reporting/reports/cohorts?group_by=channel&channel=paid_search&" + year, version, 0);
                    lines.add(row == null ? "  (reporting has not read the deals yet: GET /api/reporting/reports/cohorts)" : String.format(Locale.ROOT,
                            "  cohorts, paid_search %s: %s customers, CAC %s, first purchase %s, LTV (revenue) %s, LTV (gross profit) %s, paid back in"
                            + " month %s", row.path("cohort").asText(), row.path("customers").asText(), row.path("cac").asText(),
                            row.path("revenue_per_customer_m0").asText(), row.path("ltv_revenue").asText(), row.path("ltv").asText(),
                            row.path("payback_month").asText()));
                }
                default -> {
                }
            }
        }
        return lines;
    }

    /**
     * The first row of a report once reporting has read the run's version (or a newer one) and every lead the plan sent for the row ({@code leads}, up to
     * 3 minutes: it reads the feeds every few seconds), and the row has stayed the same for 3 s (identity still links the last
     * contacts for a moment: until then a second form counts as a lead of its own); else null.
     */
    private JsonNode row(String token, String path, String version, long leads) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        JsonNode last = null;
        int same = 0;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = api.send("GET", path, token, null);
            if (r.statusCode() == 200) {
                JsonNode report = DemoApi.JSON.readTree(r.body());
                JsonNode rows = report.path("items");
                if (report.path("meta").path("model").path("version").asInt() >= Integer.parseInt(version) && !rows.isEmpty()
                        && rows.get(0).path("leads_raw").asLong(leads) >= leads) {
                    same = rows.get(0).equals(last) ? same + 1 : 0;
                    last = rows.get(0);
                    if (same == 3) {
                        return last;
                    }
                }
            }
            Thread.sleep(1000);
        }
        return last;
    }

    /**
     * The exclusion audience a retargeting campaign should leave out: customers who paid in the last year plus the staff, through
     * the audiences API; waits (up to 60 s) until it holds every payer of the plan (identity has then linked the deals and
     * their payments) and says how many people it holds.
     */
    private String audiences(DemoPlan plan, String token) throws IOException, InterruptedException {
        String tenant = plan.tenant();
        long payers = plan.deals().stream().filter(d -> !d.payments().isEmpty()).map(d -> d.email() == null ? d.phone() : d.email()).distinct().count();
        String paid = audience(token, "{\"name\": \"Paid customers, last 365 days\", \"kind\": \"paid_customers\", \"within_days\": 365}");
        String staff = audience(token, "{\"name\": \"Staff\", \"kind\": \"uploaded\", \"purpose\": \"employees\"}");
        StringBuilder csv = new StringBuilder("email\n");
        for (int i = 1; i <= 12; i++) {
            csv.append("staff").append(i).append('@').append(tenant).append("-demo.ru\n");
        }
        api.send("PUT", "/api/attribution/audiences/" + staff + "/entries", token, "text/csv", csv.toString());
        String exclusion = audience(token, "{\"name\": \"Exclude from retargeting\", \"kind\": \"combined\", \"include\": [\"" + paid + "\", \""
                + staff + "\"]}");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int size = 0;
        while (System.nanoTime() < deadline) {
            size = api.call("GET", "/api/attribution/audiences/" + exclusion, token, null).path("size").asInt();
            if (size >= payers + 12) {
                break;
            }
            Thread.sleep(1000);
        }
        paymentsKnown(paid, token);
        return size + " people in \"Exclude from retargeting\" (GET /api/attribution/audiences/" + exclusion + "/export?platform=google"
                + " as ad-platform-" + tenant + "; lists under 100 people are refused, as the platforms do)";
    }

    /**
     * Waits (up to 60 s) until identity has every paying member's first payment (attribution reports a deal's payments right
     * after linking its contact): a visit loaded after that is judged against it, a returning customer's after a purchase.
     */
    private void paymentsKnown(String audience, String token) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> waiting = new ArrayList<>();
        for (JsonNode m : api.call("GET", "/api/attribution/audiences/" + audience + "/members?limit=1000", token, null).path("items")) {
            if (m.path("key").asText().startsWith("p:")) {
                waiting.add(m.path("key").asText().substring(2));
            }
        }
        while (!waiting.isEmpty() && System.nanoTime() < deadline) {
            HttpResponse<String> person = api.send("GET", "/api/identity/persons/" + waiting.getLast(), token, null);
            if (person.statusCode() != 200 || DemoApi.JSON.readTree(person.body()).hasNonNull("first_paid_at")) {
                waiting.removeLast();
            } else {
                Thread.sleep(250);
            }
        }
    }

    /** An audience by its definition: created, or the existing one of that name. */
    private String audience(String token, String definition) throws IOException, InterruptedException {
        HttpResponse<String> created = api.send("POST", "/api/attribution/audiences", token, definition);
        if (created.statusCode() == 201) {
            return DemoApi.JSON.readTree(created.body()).path("id").asText();
        }
        String name = DemoApi.JSON.readTree(definition).path("name").asText();
        for (JsonNode a : api.call("GET", "/api/attribution/audiences", token, null).path("items")) {
            if (a.path("name").asText().equals(name)) {
                return a.path("id").asText();
            }
        }
        throw new IllegalStateException("audience " + name + ": " + created.statusCode() + " " + created.body());
    }
}
