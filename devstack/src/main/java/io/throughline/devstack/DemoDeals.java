package io.throughline.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Demo CRM deals for the demo leads, through the generic deal API as an amoCRM integration would push them: most
 * leads get a deal that moves through the amoCRM pipeline (mapped by the demo stage mappings); some are won and paid
 * (a few in two instalments, one refunded in part), some lost with a reason, the rest still open. Then one
 * attribution run of the workspace's default model, its progress printed until it is done.
 */
final class DemoDeals {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] PIPELINE = {"Первичный контакт", "Переговоры", "КП отправлено", "Счёт выставлен"};
    private static final String[] LOSS_REASONS = {"Дорого", "Не дозвонились", "Выбрали конкурента"};

    private final StackSettings settings;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newHttpClient();

    DemoDeals(StackSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** Puts the deals; answers how many. */
    int load(String tenant, String token, List<DemoVisits.Lead> leads) throws Exception {
        Random random = new Random(tenant.hashCode() * 17L);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        int stored = 0;
        for (DemoVisits.Lead lead : leads) {
            if (random.nextInt(100) >= 80) {
                continue;
            }
            int outcome = random.nextInt(100);
            String status = outcome < 45 ? "won" : outcome < 70 ? "lost" : "open";
            int reached = status.equals("open") ? random.nextInt(PIPELINE.length) : PIPELINE.length - 1 - random.nextInt(2);
            Instant created = lead.at().plusSeconds(120);
            List<String> stages = new ArrayList<>();
            Instant at = created;
            for (int s = 0; s <= reached; s++) {
                stages.add(stage(PIPELINE[s], at));
                at = min(at.plus(Duration.ofMinutes(20 + random.nextInt(180))), now);
            }
            List<String> payments = new ArrayList<>();
            String stage = PIPELINE[reached];
            if (status.equals("won")) {
                stage = "Успешно реализовано";
                stages.add(stage(stage, at));
                boolean instalments = random.nextInt(4) == 0;
                int first = instalments ? lead.value() / 2 : lead.value();
                payments.add(payment("p1", "payment", first, at));
                if (instalments) {
                    payments.add(payment("p2", "payment", lead.value() - first, min(at.plus(Duration.ofHours(6)), now)));
                }
                if (random.nextInt(12) == 0) {
                    payments.add(payment("r1", "refund", lead.value() / 5, now));
                }
            } else if (status.equals("lost")) {
                stage = "Закрыто и не реализовано";
                stages.add(stage(stage, at));
            }
            String body = String.format(Locale.ROOT, """
                    {"title": "Заявка %s", "pipeline": "Продажи", "stage": "%s", "status": "%s", %s "amount": %d, "currency": "RUB",
                     "cost": %d, "product_line": "courses", "manager": "%s", "created_at": "%s", "updated_at": "%s",
                     "contact": {"emails": ["%s"], "visitor_id": "%s"}, "stage_history": [%s], "payments": [%s]}""",
                    lead.visitor().substring(0, 6), stage, status, status.equals("lost") ? "\"loss_reason\": \"" + LOSS_REASONS[random.nextInt(3)]
                    + "\"," : "", lead.value(), lead.value() * 2 / 5, random.nextBoolean() ? "Ольга" : "Игорь", created, at, lead.email(),
                    lead.visitor(), String.join(", ", stages), String.join(", ", payments));
            HttpResponse<String> r = send("PUT", "/api/attribution/deals/amocrm/demo-" + lead.visitor().substring(0, 12), token, body);
            if (r.statusCode() != 200) {
                throw new IllegalStateException("the demo deal was refused: " + r.statusCode() + " " + r.body());
            }
            stored++;
        }
        return stored;
    }

    /** Starts a run of the default model and prints its progress until it is done; answers its status. */
    String attribute(String tenant, String token) throws Exception {
        HttpResponse<String> started = send("POST", "/api/attribution/runs", token, "{\"model\": \"last_non_direct\"}");
        for (int wait = 0; started.statusCode() == 409 && wait < 120; wait++) {
            Thread.sleep(1000); // the scheduled job is making a version of this model; one at a time
            started = send("POST", "/api/attribution/runs", token, "{\"model\": \"last_non_direct\"}");
        }
        if (started.statusCode() != 202) {
            throw new IllegalStateException("the attribution run was refused: " + started.statusCode() + " " + started.body());
        }
        String id = JSON.readTree(started.body()).path("id").asText();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        double shown = -1;
        while (Instant.now().isBefore(deadline)) {
            JsonNode run = JSON.readTree(send("GET", "/api/attribution/runs/" + id, token, null).body());
            double percent = run.path("progress").path("percent").asDouble();
            if (percent != shown) {
                out.printf("           %s: attribution run %s %.0f%% (%d/%d people)%n", tenant, run.path("series").asText(), percent,
                        run.path("progress").path("persons_done").asInt(), run.path("progress").path("persons_total").asInt());
                shown = percent;
            }
            if (!run.path("status").asText().equals("running")) {
                return run.path("status").asText() + (run.hasNonNull("error") ? ": " + run.path("error").asText() : "");
            }
            Thread.sleep(250);
        }
        return "still running";
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static String stage(String name, Instant at) {
        return "{\"stage\": \"" + name + "\", \"entered_at\": \"" + at + "\"}";
    }

    private static String payment(String id, String kind, int amount, Instant at) {
        return "{\"id\": \"" + id + "\", \"kind\": \"" + kind + "\", \"amount\": " + amount + ", \"paid_at\": \"" + at + "\"}";
    }

    private HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.gatewayUrl() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
