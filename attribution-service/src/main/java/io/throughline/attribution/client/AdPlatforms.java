package io.throughline.attribution.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.throughline.attribution.domain.audiences.AudiencePlatform;
import io.throughline.attribution.domain.audiences.OfflineConversion;
import io.throughline.commons.net.ConnectorUrls;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * The ad platforms' APIs for pushing audience changes and sending offline conversions, as their public documentation
 * describes the requests:
 * <ul>
 *   <li>Google: Data Manager {@code POST /v1/audienceMembers:ingest} and {@code :remove} (hashed e-mail / phone,
 *       encoding HEX, the Google Ads account as operating account, the user list as product destination); Google Ads
 *       {@code POST /v22/customers/{id}:uploadClickConversions} (version in options.api_version) (gclid / gbraid / wbraid, conversion action, time as
 *       "yyyy-MM-dd HH:mm:ss+00:00", value, currency, the deal id as order id; developer-token header).</li>
 *   <li>Meta: {@code POST} / {@code DELETE /v21.0/{audience}/users} with {@code payload = {schema: [EMAIL, PHONE],
 *       data}}; Conversions API {@code POST /v21.0/{pixel}/events} with a {@code Purchase} (hashed em / ph, fbc from
 *       the fbclid, the deal id as event_id for deduplication).</li>
 *   <li>Yandex: Audiences {@code POST /v1/management/segment/{id}/modify_data?modification_type=addition|subtraction}
 *       with a CSV file (email,phone, SHA-256); Metrica {@code POST /management/v1/counter/{id}/offline_conversions/upload
 *       ?client_id_type=YCLID|CLIENT_ID} with a CSV file (Yclid or ClientId, Target, DateTime in Unix seconds, Price,
 *       Currency). OAuth token header.</li>
 *   <li>VK: {@code POST /method/ads.importTargetContacts} and {@code ads.removeTargetContacts} (account_id, target_group_id,
 *       at most 1,000 comma-separated plain contacts per call, API version v), the VK ads API's retargeting groups; VK
 *       answers errors as a 200 with an error object.</li>
 * </ul>
 * Batches of at most 10,000 members. Throttling (429), server errors and network failures are retried a few times with a
 * growing delay, then the caller backs off; other refusals are the connection's error. Redirects are not followed.
 */
@ApplicationScoped
public class AdPlatforms {

    public static final int BATCH = 10_000;
    /** ads.importTargetContacts takes at most 1,000 contacts per call. */
    static final int VK_CONTACTS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter GOOGLE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssxxx").withZone(ZoneOffset.UTC);

    /** A refusal worth retrying: throttled, the platform erring, the network failing. */
    public static class Transient extends RuntimeException {
        public Transient(String message) {
            super(message, null, false, false);
        }
    }

    /** A refusal the connection must be fixed for (credentials, account, list). */
    public static class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** Where and as whom: the platform, its base address (checked), opened credentials and options. */
    public record Target(AudiencePlatform platform, String baseUrl, Map<String, String> credentials, Map<String, String> options, boolean allowPrivate) {
        String base(String defaultUrl) {
            String url = baseUrl == null || baseUrl.isBlank() ? defaultUrl : baseUrl;
            String problem = ConnectorUrls.check(url, allowPrivate);
            if (problem != null) {
                throw new Refused("base_url " + problem);
            }
            return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }

        String credential(String key) {
            String v = credentials.get(key);
            if (v == null || v.isBlank()) {
                throw new Refused("credentials." + key + " is missing");
            }
            return v;
        }

        String option(String key) {
            String v = options.get(key);
            if (v == null || v.isBlank()) {
                throw new Refused("options." + key + " is missing");
            }
            return v;
        }
    }

    /** One member as the platform receives it: hashed (or, for VK, plain) e-mails and phones in its own forms. */
    public record Identifiers(List<String> emails, List<String> phones) {
    }

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();

    /** Sends one batch of members to add (or remove) to the platform's list. */
    @Retry(maxRetries = 3, delay = 300, jitter = 100, retryOn = Transient.class)
    public void members(Target t, String list, boolean remove, List<Identifiers> batch) {
        switch (t.platform()) {
            case GOOGLE -> {
                ObjectNode body = JSON.createObjectNode();
                ObjectNode destination = body.putArray("destinations").addObject();
                destination.putObject("operatingAccount").put("accountType", "GOOGLE_ADS").put("accountId", t.option("customer_id"));
                if (t.options().get("login_customer_id") != null) {
                    destination.putObject("loginAccount").put("accountType", "GOOGLE_ADS").put("accountId", t.options().get("login_customer_id"));
                }
                destination.put("productDestinationId", list);
                ArrayNode members = body.putArray("audienceMembers");
                for (Identifiers m : batch) {
                    ArrayNode ids = members.addObject().putObject("userData").putArray("userIdentifiers");
                    m.emails().forEach(e -> ids.addObject().put("emailAddress", e));
                    m.phones().forEach(p -> ids.addObject().put("phoneNumber", p));
                }
                body.put("encoding", "HEX");
                if (!remove) {
                    body.putObject("termsOfService").put("customerMatchTermsOfServiceStatus", "ACCEPTED");
                }
                send(HttpRequest.newBuilder(URI.create(t.base("https://datamanager.googleapis.com") + "/v1/audienceMembers:" + (remove ? "remove" : "ingest")))
                        .header("Authorization", "Bearer " + t.credential("access_token")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())), "Google Data Manager");
            }
            case META -> {
                ObjectNode payload = JSON.createObjectNode();
                payload.putArray("schema").add("EMAIL").add("PHONE");
                ArrayNode data = payload.putArray("data");
                for (Identifiers m : batch) {
                    int n = Math.max(m.emails().size(), m.phones().size());
                    for (int i = 0; i < n; i++) {
                        data.addArray().add(i < m.emails().size() ? m.emails().get(i) : "").add(i < m.phones().size() ? m.phones().get(i) : "");
                    }
                }
                ObjectNode body = JSON.createObjectNode();
                body.set("payload", payload);
                send(HttpRequest.newBuilder(URI.create(t.base("https://graph.facebook.com") + "/" + t.options().getOrDefault("api_version", "v21.0") + "/" + path(list) + "/users"))
                        .header("Authorization", "Bearer " + t.credential("access_token")).header("Content-Type", "application/json")
                        .method(remove ? "DELETE" : "POST", HttpRequest.BodyPublishers.ofString(body.toString())), "Meta custom audience");
            }
            case YANDEX -> {
                StringBuilder csv = new StringBuilder("email,phone\n");
                for (Identifiers m : batch) {
                    int n = Math.max(m.emails().size(), m.phones().size());
                    for (int i = 0; i < n; i++) {
                        csv.append(i < m.emails().size() ? m.emails().get(i) : "").append(',').append(i < m.phones().size() ? m.phones().get(i) : "")
                                .append('\n');
                    }
                }
                Multipart file = Multipart.file("file", "data.csv", "text/csv", csv.toString());
                send(HttpRequest.newBuilder(URI.create(t.base("https://api-audience.yandex.ru") + "/v1/management/segment/" + path(list)
                        + "/modify_data?modification_type=" + (remove ? "subtraction" : "addition")))
                        .header("Authorization", "OAuth " + t.credential("oauth_token")).header("Content-Type", file.contentType())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(file.body())), "Yandex Audiences");
            }
            case VK -> {
                List<String> contacts = new java.util.ArrayList<>();
                batch.forEach(m -> {
                    contacts.addAll(m.emails());
                    contacts.addAll(m.phones());
                });
                for (int i = 0; i < contacts.size(); i += VK_CONTACTS) {
                    String form = "account_id=" + form(t.option("account_id")) + (t.options().get("client_id") == null ? ""
                            : "&client_id=" + form(t.options().get("client_id"))) + "&target_group_id=" + form(list) + "&contacts="
                            + form(String.join(",", contacts.subList(i, Math.min(contacts.size(), i + VK_CONTACTS)))) + "&v="
                            + form(t.options().getOrDefault("api_version", "5.199"));
                    String answer = send(HttpRequest.newBuilder(URI.create(t.base("https://api.vk.com") + "/method/ads." + (remove ? "removeTargetContacts"
                            : "importTargetContacts"))).header("Authorization", "Bearer " + t.credential("access_token"))
                            .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)), "VK Ads target group");
                    vkErrors(answer);
                }
            }
        }
    }

    /** VK answers 200 with an error object; flood control and internal errors are worth retrying. */
    private static void vkErrors(String answer) {
        try {
            var error = JSON.readTree(answer).path("error");
            if (error.isMissingNode()) {
                return;
            }
            int code = error.path("error_code").asInt();
            String message = "VK Ads refused: " + code + " " + error.path("error_msg").asText();
            throw code == 6 || code == 9 || code == 10 ? new Transient(message) : new Refused(message);
        } catch (IOException e) {
            throw new Refused("VK Ads answered something that is not JSON");
        }
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Sends one paid deal as the platform's offline conversion. */
    @Retry(maxRetries = 3, delay = 300, jitter = 100, retryOn = Transient.class)
    public void conversion(Target t, OfflineConversion c) {
        BigDecimal value = BigDecimal.valueOf(c.valueMinor(), c.fractionDigits());
        switch (t.platform()) {
            case GOOGLE -> {
                ObjectNode body = JSON.createObjectNode();
                ObjectNode conversion = body.putArray("conversions").addObject();
                conversion.put(c.clickParam(), c.clickId());
                conversion.put("conversionAction", t.option("conversion_action"));
                conversion.put("conversionDateTime", GOOGLE_TIME.format(c.at()));
                conversion.put("conversionValue", value);
                conversion.put("currencyCode", c.currency());
                conversion.put("orderId", c.dealId().toString());
                body.put("partialFailure", true);
                String customer = t.option("customer_id");
                HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(t.base("https://googleads.googleapis.com") + "/" + t.options().getOrDefault("api_version", "v22") + "/customers/" + path(customer)
                        + ":uploadClickConversions")).header("Authorization", "Bearer " + t.credential("access_token"))
                        .header("developer-token", t.credential("developer_token")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
                if (t.options().get("login_customer_id") != null) {
                    r.header("login-customer-id", t.options().get("login_customer_id"));
                }
                String answer = send(r, "Google Ads click conversions");
                if (answer.contains("\"partialFailureError\"")) {
                    throw new Refused("Google Ads refused the conversion: " + abbreviate(answer));
                }
            }
            case YANDEX -> {
                boolean yclid = c.clickParam().equals("yclid");
                String csv = (yclid ? "Yclid" : "ClientId") + ",Target,DateTime,Price,Currency\n" + c.clickId() + "," + t.option("goal") + ","
                        + c.at().getEpochSecond() + "," + value.toPlainString() + "," + c.currency() + "\n";
                Multipart file = Multipart.file("file", "conversions.csv", "text/csv", csv);
                send(HttpRequest.newBuilder(URI.create(t.base("https://api-metrica.yandex.net") + "/management/v1/counter/" + path(t.option("counter_id"))
                        + "/offline_conversions/upload?client_id_type=" + (yclid ? "YCLID" : "CLIENT_ID")))
                        .header("Authorization", "OAuth " + t.credential("oauth_token")).header("Content-Type", file.contentType())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(file.body())), "Yandex Metrica offline conversions");
            }
            case META -> {
                ObjectNode body = JSON.createObjectNode();
                ObjectNode event = body.putArray("data").addObject();
                event.put("event_name", "Purchase").put("event_time", c.at().getEpochSecond()).put("event_id", c.dealId().toString())
                        .put("action_source", "system_generated");
                ObjectNode user = event.putObject("user_data");
                ArrayNode em = user.putArray("em");
                c.hashedEmails().forEach(em::add);
                ArrayNode ph = user.putArray("ph");
                c.hashedPhones().forEach(ph::add);
                if ("fbclid".equals(c.clickParam())) {
                    user.put("fbc", "fb.1." + c.clickedAt().toEpochMilli() + "." + c.clickId());
                }
                event.putObject("custom_data").put("currency", c.currency()).put("value", value);
                send(HttpRequest.newBuilder(URI.create(t.base("https://graph.facebook.com") + "/" + t.options().getOrDefault("api_version", "v21.0") + "/" + path(t.option("pixel_id")) + "/events"))
                        .header("Authorization", "Bearer " + t.credential("access_token")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())), "Meta Conversions API");
            }
            case VK -> throw new Refused("VK Ads takes no offline conversions through this connection");
        }
    }

    private String send(HttpRequest.Builder request, String what) {
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Transient(what + ": " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Transient(what + ": interrupted");
        }
        int status = response.statusCode();
        if (status == 429 || status >= 500) {
            throw new Transient(what + " answered " + status);
        }
        if (status >= 300) {
            throw new Refused(what + " answered " + status + ": " + abbreviate(response.body()));
        }
        return response.body();
    }

    private static String path(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    /** A multipart/form-data body with one file part. */
    record Multipart(String contentType, byte[] body) {
        static Multipart file(String field, String filename, String type, String content) {
            String boundary = "throughline-" + UUID.randomUUID();
            String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename + "\"\r\nContent-Type: "
                    + type + "\r\n\r\n";
            String tail = "\r\n--" + boundary + "--\r\n";
            return new Multipart("multipart/form-data; boundary=" + boundary, (head + content + tail).getBytes(StandardCharsets.UTF_8));
        }
    }
}
