package io.throughline.devstack;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * Demo traffic for one site, sent through the gateway's /collect exactly as t.js sends it (text/plain, the
 * site's origin, the snippet's proof): paid and organic visits from Yandex, Google, VK, Telegram, e-mail and
 * direct over the last two days, some with leads, and a share of crawlers and junk leads for the data-quality
 * views. Paced under the collector's per-address limit.
 */
final class DemoVisits {

    private static final String BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private static final String PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
    private static final String CRAWLER = "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)";
    /** Landing query and referrer per traffic source; weights favour the paid channels a demo should show. */
    private static final String[][] SOURCES = {
            {"?utm_source=yandex&utm_medium=cpc&utm_campaign=brand_search&utm_term=%D0%BA%D1%83%D1%80%D1%81%D1%8B&yclid=", "https://yandex.ru/"},
            {"?utm_source=yandex&utm_medium=cpc&utm_campaign=generic_search&yclid=", "https://yandex.ru/"},
            {"?utm_source=google&utm_medium=cpc&utm_campaign=pmax&gclid=", "https://www.google.com/"},
            {"?utm_source=vk&utm_medium=cpc&utm_campaign=retargeting&rb_clickid=", "https://vk.com/"},
            {"?utm_source=telegram&utm_medium=post&utm_campaign=channel_posts", "https://t.me/"},
            {"", "https://yandex.ru/search/?text=x"},
            {"", "https://www.google.com/"},
            {"?utm_source=unisender&utm_medium=email&utm_campaign=november", ""},
            {"", ""}};
    private static final int VISITORS = 150;
    private static final long PAUSE_MS = 60;

    /** A real (not junk) lead the visits left: who, their e-mail, when, and the order value they asked about. */
    record Lead(String visitor, String email, Instant at, int value) {
    }

    private final StackSettings settings;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newHttpClient();
    /** The real leads of the last {@link #send}, for the demo deals. */
    final List<Lead> leads = new ArrayList<>();

    DemoVisits(StackSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** Sends the visits; returns how many events the collector accepted. */
    int send(String tenant, String siteKey) throws Exception {
        Random random = new Random(tenant.hashCode() * 31L);
        String origin = "https://" + tenant + ".example";
        int accepted = 0;
        for (int v = 0; v < VISITORS; v++) {
            String visitor = new UUID(random.nextLong(), random.nextLong()).toString().replace("-", "");
            String[] source = SOURCES[random.nextInt(SOURCES.length)];
            Instant start = Instant.now().minus(random.nextInt(48 * 60), ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
            boolean crawler = random.nextInt(100) < 6;
            String landing = origin + "/" + source[0] + (source[0].endsWith("=") ? Long.toString(random.nextLong() & 0xffffffffL) : "");
            List<String> events = new ArrayList<>();
            events.add(SnippetProtocol.pageview(landing, source[1], start));
            int pages = 1 + random.nextInt(4);
            for (int p = 1; p < pages; p++) {
                events.add(SnippetProtocol.pageview(origin + "/courses/" + p, origin + "/", start.plusSeconds(40L * p)));
            }
            if (!crawler && random.nextInt(100) < 18) {
                boolean junk = random.nextInt(100) < 20;
                Instant at = start.plusSeconds(40L * pages + 30);
                String email = junk ? "test@mailinator.com" : "demo." + visitor.substring(0, 8) + "@mail.ru";
                int value = junk ? 800 : 6000 + random.nextInt(30_000);
                events.add(SnippetProtocol.lead(at, email, junk ? "+7 999 999-99-99" : String.format(Locale.ROOT, "+7 916 %03d-%02d-%02d",
                        100 + random.nextInt(899), 10 + random.nextInt(89), 10 + random.nextInt(89)), value));
                if (!junk) {
                    leads.add(new Lead(visitor, email, at, value));
                }
            }
            accepted += post(origin, crawler ? CRAWLER : random.nextInt(3) == 0 ? PHONE : BROWSER, SnippetProtocol.batch(siteKey, visitor, events));
            if ((v + 1) % 50 == 0) {
                out.printf("           %s: %d/%d demo visits sent%n", tenant, v + 1, VISITORS);
            }
            Thread.sleep(PAUSE_MS);
        }
        return accepted;
    }

    private int post(String origin, String userAgent, String body) throws Exception {
        for (int attempt = 0; attempt < 5; attempt++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(settings.gatewayUrl() + "/collect"))
                    .header("Content-Type", "text/plain;charset=UTF-8").header("Origin", origin).header("User-Agent", userAgent)
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200 || response.statusCode() == 202) {
                return Integer.parseInt(response.body().replaceAll("(?s).*\"accepted\":(\\d+).*", "$1"));
            }
            if (response.statusCode() != 429 && response.statusCode() != 503) {
                throw new IllegalStateException("/collect answered " + response.statusCode() + ": " + response.body());
            }
            Thread.sleep(1000L * Integer.parseInt(response.headers().firstValue("Retry-After").orElse("1")));
        }
        throw new IllegalStateException("/collect kept refusing the demo visits");
    }
}
