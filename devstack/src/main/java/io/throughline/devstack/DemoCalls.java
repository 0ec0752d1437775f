package io.throughline.devstack;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * Live demo calls: ten tracked numbers for the demo pool and a static "billboard" number, and a dozen
 * visitors who land from ads within a minute, are shown a number by /dni (as t.js would ask; the last two find the
 * pool full) and call it; the PBX reports each call
 * through the signed generic webhook, so the call log shows matched, missed, repeat and spam calls.
 */
final class DemoCalls {

    private static final String[] LANDINGS = {
            "?utm_source=yandex&utm_medium=cpc&utm_campaign=brand_search&yclid=", "?utm_source=google&utm_medium=cpc&utm_campaign=pmax&gclid=",
            "?utm_source=vk&utm_medium=cpc&utm_campaign=retargeting&rb_clickid="};
    private static final int CALLS = 12;

    private final DemoApi api;

    DemoCalls(DemoApi api) {
        this.api = api;
    }

    /** Adds ten tracked numbers and a billboard number to the tenant's pool and places the demo calls; returns how many the PBX reported. */
    int load(String tenant, int tenantIndex, String token, String siteKey, String poolId, String webhook, String secret) throws Exception {
        String prefix = String.format(Locale.ROOT, "+749541%d", tenantIndex);
        StringBuilder numbers = new StringBuilder();
        for (int i = 1; i <= 10; i++) {
            numbers.append(numbers.isEmpty() ? "" : ", ").append('"').append(prefix).append(String.format(Locale.ROOT, "%04d", 2000 + i * 13)).append('"');
        }
        api.call("POST", "/api/calltracking/pools/" + poolId + "/numbers", token, "{\"numbers\": [" + numbers + "]}");
        String billboard = prefix + "9090";
        api.call("POST", "/api/calltracking/numbers", token, "{\"site_key\": \"" + siteKey + "\", \"number\": \"" + billboard
                + "\", \"label\": \"Billboard on the ring road\", \"channel\": \"offline\", \"match_source\": \"billboard\"}");

        Random random = new Random(tenant.hashCode() * 17L);
        String origin = "https://" + tenant + ".example";
        int reported = 0;
        for (int i = 0; i < CALLS; i++) {
            String visitor = new UUID(random.nextLong(), random.nextLong()).toString().replace("-", "");
            String landing = LANDINGS[i % LANDINGS.length];
            String clickId = Long.toString(random.nextLong() & 0xffffffffL);
            String page = origin + "/" + landing + clickId;
            Instant seen = Instant.now().minusSeconds(90);
            api.publicPost("/collect", origin, DemoStories.BROWSER, SnippetProtocol.batch(siteKey, visitor,
                    List.of(SnippetProtocol.pageview(page, "https://yandex.ru/", seen))));
            String[] utm = landing.substring(1).split("&");
            String dni = api.publicPost("/dni", origin, DemoStories.BROWSER, "{\"site\": \"" + siteKey + "\", \"visitor_id\": \"" + visitor
                    + "\", \"page\": \"" + page + "\", \"campaign\": {\"source\": \"" + value(utm[0]) + "\", \"medium\": \"" + value(utm[1])
                    + "\", \"campaign\": \"" + value(utm[2]) + "\"}, \"click_ids\": {\"" + utm[3].replace("=", "") + "\": \"" + clickId + "\"}}");
            // A full pool shows nothing new: the visitor calls the site's own number, which is not tracked.
            String number = DemoApi.JSON.readTree(dni).path("number_e164").asText("+74954007070");
            String caller = i == CALLS - 1 ? "anonymous" : String.format(Locale.ROOT, "+7916%03d%04d", 300 + tenantIndex, i % 9 == 8 ? 1 : 100 + i);
            boolean missed = i % 5 == 3;
            int talk = missed ? 0 : i % 4 == 1 ? 12 : 45 + random.nextInt(400);
            Instant start = Instant.now().minusSeconds(30);
            String body = "{\"call_id\": \"demo-" + visitor + "\", \"event\": \"call.completed\", \"direction\": \"inbound\", \"from\": \"" + caller
                    + "\", \"to\": \"" + number + "\", \"started_at\": \"" + start + "\", \"status\": \"" + (missed ? "no_answer" : "answered")
                    + "\", \"duration_sec\": " + (missed ? 9 : talk + 8) + ", \"talk_sec\": " + talk + ", \"wait_sec\": 8}";
            reported += api.signed(webhook, secret, body) == 200 ? 1 : 0;
        }
        String offline = "{\"call_id\": \"demo-billboard-" + tenant + "-" + Instant.now().getEpochSecond() + "\", \"event\": \"call.completed\", "
                + "\"from\": \"+79163" + tenantIndex + "55500\", \"to\": \"" + billboard + "\", \"started_at\": \"" + Instant.now().minusSeconds(20)
                + "\", \"status\": \"answered\", \"talk_sec\": 95}";
        reported += api.signed(webhook, secret, offline) == 200 ? 1 : 0;
        return reported;
    }

    private static String value(String pair) {
        return pair.substring(pair.indexOf('=') + 1);
    }
}
