package io.throughline.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import io.throughline.devstack.DemoPlan.Deal;
import io.throughline.devstack.DemoPlan.Event;
import io.throughline.devstack.DemoPlan.Visit;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Sends a {@link DemoPlan} through the public APIs, with progress: spend through the spend import, visits older than two days
 * through the authenticated hit import and the last two days through /collect as t.js sends them, overheads, CRM deals through
 * the deals API, calls to the print campaign's static number through the PBX's signed webhook.
 */
final class DemoHistory {

    private static final int IMPORT_BATCHES = 100;
    private static final int SPEND_ROWS = 5000;

    private final DemoApi api;
    private final PrintStream out;

    DemoHistory(DemoApi api, PrintStream out) {
        this.api = api;
        this.out = out;
    }

    /** The believed conversion and check of the naive view, kept with the rest of the workspace's report settings. */
    void naiveBelief(DemoPlan plan, String token) throws Exception {
        if (plan.naiveBelief == null) {
            return;
        }
        com.fasterxml.jackson.databind.node.ObjectNode settings = (com.fasterxml.jackson.databind.node.ObjectNode) api.call("GET",
                "/api/reporting/settings", token, null);
        settings.putObject("naive").put("valuation", "expected_check").put("expected_conversion_pct", plan.naiveBelief[0])
                .put("expected_check", plan.naiveBelief[1]);
        api.call("PUT", "/api/reporting/settings", token, settings.toString());
    }

    int spend(DemoPlan plan, String token) throws Exception {
        Map<String, String> channels = new HashMap<>();
        List<String> rows = new ArrayList<>();
        for (DemoPlan.Spend s : plan.spend) {
            String channel = channels.get(s.campaign());
            if (channel == null) {
                String url = "https://" + plan.domain + "/?utm_source=" + s.source() + "&utm_medium=" + s.medium() + "&utm_campaign=" + s.campaign();
                channel = api.call("POST", "/api/tracking/channel-rules/test", token, "{\"url\": \"" + url + "\"}").path("channel").asText("paid_other");
                channels.put(s.campaign(), channel);
            }
            rows.add(String.format(Locale.ROOT, "{\"day\": \"%s\", \"platform\": \"%s\", \"account\": \"%s-%s\", \"campaign\": \"%s\", \"clicks\": %d,"
                    + " \"impressions\": %d, \"cost\": %s, \"currency\": \"RUB\", \"utm_source\": \"%s\", \"utm_medium\": \"%s\", \"channel\": \"%s\"}",
                    s.day(), s.platform(), plan.tenant, s.platform(), s.campaign(), s.clicks(), s.clicks() * 35, money(s.kopecks()), s.source(), s.medium(),
                    channel));
        }
        for (int from = 0; from < rows.size(); from += SPEND_ROWS) {
            api.call("POST", "/api/reporting/spend", token, "{\"rows\": [" + String.join(",", rows.subList(from, Math.min(rows.size(), from + SPEND_ROWS)))
                    + "]}");
        }
        return rows.size();
    }

    void overheads(DemoPlan plan, String token) throws Exception {
        Map<String, List<DemoPlan.Overhead>> byMonth = plan.overheads.stream().collect(Collectors.groupingBy(DemoPlan.Overhead::month));
        for (Map.Entry<String, List<DemoPlan.Overhead>> month : byMonth.entrySet()) {
            String items = month.getValue().stream().map(o -> String.format(Locale.ROOT, "{\"category\": \"%s\", \"amount\": %s, \"currency\": \"RUB\","
                    + " \"note\": \"%s\"}", o.category(), money(o.kopecks()), o.note())).collect(Collectors.joining(","));
            api.call("PUT", "/api/reporting/overheads/" + month.getKey(), token, "{\"items\": [" + items + "]}");
        }
    }

    /** Every visit in time order; answers how many events were stored (duplicates of an earlier load are not). */
    int visits(DemoPlan plan, String token, String siteId, String siteKey) throws Exception {
        List<Visit> visits = plan.visits.stream().sorted(Comparator.comparing(Visit::first)).toList();
        Instant live = Instant.now().minus(Duration.ofHours(47));
        List<Visit> history = visits.stream().filter(v -> v.first().isBefore(live)).toList();
        int stored = 0;
        List<String> rejected = new ArrayList<>();
        for (int from = 0; from < history.size(); from += IMPORT_BATCHES) {
            List<String> batches = new ArrayList<>();
            for (Visit v : history.subList(from, Math.min(history.size(), from + IMPORT_BATCHES))) {
                batches.add("{\"visitor_id\": \"" + v.visitorId() + "\", \"user_agent\": \"" + v.userAgent() + "\", \"ip\": \"" + v.ip()
                        + "\", \"events\": [" + v.events().stream().map(DemoHistory::event).collect(Collectors.joining(",")) + "]}");
            }
            JsonNode answer = api.call("POST", "/api/tracking/sites/" + siteId + "/hits/import", token, "{\"batches\": [" + String.join(",", batches) + "]}");
            stored += answer.path("accepted").asInt();
            for (JsonNode b : answer.path("batches")) {
                for (JsonNode e : b.path("events")) {
                    if (e.path("status").asText().equals("rejected") && rejected.size() < 3) {
                        rejected.add(e.path("field").asText() + " " + e.path("reason").asText());
                    }
                }
            }
            int done = Math.min(history.size(), from + IMPORT_BATCHES);
            if (done % 1000 < IMPORT_BATCHES || done == history.size()) {
                out.printf("           %s: %d/%d visits of the last 12 months imported%n", plan.tenant, done, history.size());
            }
        }
        if (!rejected.isEmpty()) {
            out.printf("           %s: some demo events were refused, for example: %s%n", plan.tenant, rejected);
        }
        String origin = "https://" + plan.domain;
        for (Visit v : visits.subList(history.size(), visits.size())) {
            String body = SnippetProtocol.batch(siteKey, v.visitorId(), v.events().stream().map(DemoHistory::event).toList());
            stored += DemoApi.JSON.readTree(api.publicPost("/collect", origin, v.userAgent(), body)).path("accepted").asInt();
        }
        out.printf("           %s: %d visits of the last two days sent through /collect%n", plan.tenant, visits.size() - history.size());
        return stored;
    }

    int deals(DemoPlan plan, String token) throws Exception {
        int stored = 0;
        for (Deal d : plan.deals) {
            String stages = d.stages().stream().map(s -> "{\"stage\": \"" + s.stage() + "\", \"entered_at\": \"" + s.at() + "\"}")
                    .collect(Collectors.joining(", "));
            String payments = d.payments().stream().map(p -> "{\"id\": \"" + p.id() + "\", \"kind\": \"" + p.kind() + "\", \"amount\": " + money(p.kopecks())
                    + ", \"paid_at\": \"" + p.at() + "\"}").collect(Collectors.joining(", "));
            String contact = (d.email() == null ? "" : "\"emails\": [\"" + d.email() + "\"]") + (d.phone() == null ? ""
                    : (d.email() == null ? "" : ", ") + "\"phones\": [\"" + d.phone() + "\"]") + (d.visitorId() == null ? "" : ", \"visitor_id\": \""
                    + d.visitorId() + "\"");
            String body = String.format(Locale.ROOT, """
                    {"title": "%s", "pipeline": "Продажи", "stage": "%s", "status": "%s", %s "amount": %s, "currency": "RUB", "cost": %s,
                     "product_line": "%s", "manager": "%s", "created_at": "%s", "updated_at": "%s", "contact": {%s},
                     "stage_history": [%s], "payments": [%s]}""", d.title(), d.stage(), d.status(), d.lossReason() == null ? ""
                    : "\"loss_reason\": \"" + d.lossReason() + "\",", money(d.amountKopecks()), money(d.costKopecks()), d.productLine(), d.manager(),
                    d.createdAt(), d.updatedAt(), contact, stages, payments);
            api.call("PUT", "/api/attribution/deals/amocrm/" + d.id(), token, body);
            if (++stored % 200 == 0) {
                out.printf("           %s: %d/%d CRM deals%n", plan.tenant, stored, plan.deals.size());
            }
        }
        return stored;
    }

    /** The print campaign's static number and its calls over the year, reported by the PBX; answers how many it accepted. */
    int printCalls(DemoPlan plan, String token, String siteKey, String number, String webhook, String secret) throws Exception {
        if (plan.printCalls.isEmpty()) {
            return 0;
        }
        api.call("POST", "/api/calltracking/numbers", token, "{\"site_key\": \"" + siteKey + "\", \"number\": \"" + number
                + "\", \"label\": \"Print: flyers\", \"channel\": \"offline\", \"match_source\": \"flyers\"}");
        int accepted = 0;
        for (DemoPlan.Call c : plan.printCalls) {
            boolean missed = c.talkSeconds() == 0;
            String body = "{\"call_id\": \"print-" + c.id() + "\", \"event\": \"call.completed\", \"direction\": \"inbound\", \"from\": \"" + c.from()
                    + "\", \"to\": \"" + number + "\", \"started_at\": \"" + c.at() + "\", \"status\": \"" + (missed ? "no_answer" : "answered")
                    + "\", \"duration_sec\": " + (c.talkSeconds() + 12) + ", \"talk_sec\": " + c.talkSeconds() + ", \"wait_sec\": 12}";
            accepted += api.signed(webhook, secret, body) == 200 ? 1 : 0;
        }
        return accepted;
    }

    private static String event(Event e) {
        StringBuilder json = new StringBuilder("{\"event_id\": \"").append(e.id()).append("\", \"type\": \"").append(e.type()).append("\", \"ts\": \"")
                .append(e.at()).append("\", \"url\": \"").append(e.url()).append('"');
        if (e.referrer() != null) {
            json.append(", \"referrer\": \"").append(e.referrer()).append('"');
        }
        if (e.type().equals("lead")) {
            json.append(", \"form\": \"order\", \"fill_ms\": ").append(e.fillMs()).append(", \"fields\": {\"email\": \"").append(e.email())
                    .append("\", \"phone\": \"").append(e.phone()).append("\", \"name\": \"Demo\"}");
        } else {
            json.append(", \"title\": \"Demo\"");
        }
        return json.append('}').toString();
    }

    static String money(long kopecks) {
        return BigDecimal.valueOf(kopecks, 2).toPlainString();
    }
}
