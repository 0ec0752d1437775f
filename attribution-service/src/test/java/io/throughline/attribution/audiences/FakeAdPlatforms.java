package io.throughline.attribution.audiences;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Google (Data Manager, Google Ads), Meta (custom audiences, Conversions API) and Yandex (Audiences, Metrica) on a local
 * port, checking each request as the platforms document it: method, path, auth headers, content type and the body's
 * required fields. A request that does not match is a 400 naming what is wrong, so a test fails when the client stops
 * speaking the platform's language.
 */
final class FakeAdPlatforms implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Seen(String method, String path, String query, String authorization, String developerToken, String contentType, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        /** A form field of a urlencoded body. */
        String field(String name) {
            for (String pair : body.split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv[0].equals(name)) {
                    return java.net.URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8);
                }
            }
            return null;
        }

        /** The file part of a multipart body. */
        String file() {
            int start = body.indexOf("\r\n\r\n") + 4;
            int end = body.lastIndexOf("\r\n--");
            return body.substring(start, end);
        }
    }

    final List<Seen> seen = new CopyOnWriteArrayList<>();
    /** Answers 503 this many times before serving. */
    final AtomicInteger failFirst = new AtomicInteger();
    private final HttpServer server;

    FakeAdPlatforms() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Seen> to(String pathPart) {
        return seen.stream().filter(s -> s.path().contains(pathPart)).toList();
    }

    private void handle(HttpExchange x) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Seen s = new Seen(x.getRequestMethod(), x.getRequestURI().getPath(), x.getRequestURI().getRawQuery() == null ? "" : x.getRequestURI().getRawQuery(),
                x.getRequestHeaders().getFirst("Authorization"), x.getRequestHeaders().getFirst("developer-token"),
                x.getRequestHeaders().getFirst("Content-Type"), body);
        if (failFirst.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            answer(x, 503, "{\"error\": \"try later\"}");
            return;
        }
        String problem = check(s);
        if (problem != null) {
            answer(x, 400, "{\"error\": \"" + problem + "\"}");
            return;
        }
        seen.add(s);
        answer(x, 200, s.path().endsWith("audienceMembers:ingest") || s.path().endsWith("audienceMembers:remove") ? "{\"requestId\": \"r-1\"}"
                : s.path().endsWith(":uploadClickConversions") ? "{\"results\": [{}]}"
                : s.path().startsWith("/method/") ? "{\"response\": 1}" : "{\"success\": true}");
    }

    private static String check(Seen s) {
        String p = s.path();
        String auth = s.authorization() == null ? "" : s.authorization();
        if (p.startsWith("/v1/audienceMembers:")) {
            if (!s.method().equals("POST") || !auth.startsWith("Bearer ") || !s.contentType().startsWith("application/json")) {
                return "Data Manager takes POST JSON with a bearer token";
            }
            JsonNode b = json(s.body());
            JsonNode d = b.path("destinations").path(0);
            if (!d.path("operatingAccount").path("accountType").asText().equals("GOOGLE_ADS") || d.path("operatingAccount").path("accountId").asText()
                    .isEmpty() || d.path("productDestinationId").asText().isEmpty()) {
                return "destinations[0] needs operatingAccount (GOOGLE_ADS, accountId) and productDestinationId";
            }
            if (!b.path("encoding").asText().equals("HEX") || !b.path("audienceMembers").isArray() || b.path("audienceMembers").size() > 10_000) {
                return "encoding HEX and at most 10,000 audienceMembers";
            }
            for (JsonNode m : b.path("audienceMembers")) {
                for (JsonNode id : m.path("userData").path("userIdentifiers")) {
                    String v = id.has("emailAddress") ? id.get("emailAddress").asText() : id.path("phoneNumber").asText();
                    if (!v.matches("[0-9a-f]{64}")) {
                        return "identifiers are SHA-256 hex";
                    }
                }
            }
            return null;
        }
        if (p.matches("/v[0-9]+/customers/[0-9]+:uploadClickConversions")) {
            JsonNode c = json(s.body()).path("conversions").path(0);
            if (!auth.startsWith("Bearer ") || s.developerToken() == null) {
                return "Google Ads needs a bearer token and a developer-token header";
            }
            if (!(c.has("gclid") || c.has("gbraid") || c.has("wbraid")) || !c.path("conversionAction").asText().startsWith("customers/")
                    || !c.path("conversionDateTime").asText().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d[+-]\\d\\d:\\d\\d")
                    || !c.path("currencyCode").asText().matches("[A-Z]{3}") || !c.has("conversionValue")) {
                return "a click conversion needs a click id, conversionAction, conversionDateTime (yyyy-mm-dd hh:mm:ss+hh:mm), value and currency";
            }
            return null;
        }
        if (p.matches("/v[0-9.]+/[0-9A-Za-z_]+/users")) {
            JsonNode payload = json(s.body()).path("payload");
            if (!(s.method().equals("POST") || s.method().equals("DELETE")) || !auth.startsWith("Bearer ")) {
                return "custom audience users: POST or DELETE with a token";
            }
            if (!payload.path("schema").toString().equals("[\"EMAIL\",\"PHONE\"]") || payload.path("data").size() > 10_000) {
                return "payload.schema must be [EMAIL, PHONE], at most 10,000 rows";
            }
            return null;
        }
        if (p.matches("/v[0-9.]+/[0-9]+/events")) {
            JsonNode e = json(s.body()).path("data").path(0);
            if (!e.path("event_name").asText().equals("Purchase") || !e.path("event_time").isNumber() || e.path("event_id").asText().isEmpty()
                    || e.path("action_source").asText().isEmpty() || !e.path("custom_data").has("value")
                    || !e.path("custom_data").path("currency").asText().matches("[A-Z]{3}")) {
                return "a Purchase needs event_time, event_id, action_source, custom_data.value and currency";
            }
            return null;
        }
        if (p.equals("/method/ads.importTargetContacts") || p.equals("/method/ads.removeTargetContacts")) {
            java.util.Map<String, String> form = new java.util.HashMap<>();
            for (String pair : s.body().split("&")) {
                String[] kv = pair.split("=", 2);
                form.put(kv[0], kv.length > 1 ? java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
            if (!s.method().equals("POST") || !s.contentType().startsWith("application/x-www-form-urlencoded") || !auth.startsWith("Bearer ")
                    || form.get("account_id") == null || form.get("target_group_id") == null || form.get("v") == null
                    || form.getOrDefault("contacts", "").isEmpty() || form.get("contacts").split(",").length > 1000) {
                return "ads.*TargetContacts: POST form with account_id, target_group_id, v and 1 to 1,000 contacts";
            }
            return null;
        }
        if (p.matches("/v1/management/segment/[0-9]+/modify_data")) {
            if (!auth.startsWith("OAuth ") || !s.contentType().startsWith("multipart/form-data") || !s.query().matches("modification_type=(addition|subtraction)")) {
                return "modify_data: OAuth token, multipart file, modification_type addition or subtraction";
            }
            if (!s.file().startsWith("email,phone\n")) {
                return "the file's header is email,phone";
            }
            return null;
        }
        if (p.matches("/management/v1/counter/[0-9]+/offline_conversions/upload")) {
            if (!auth.startsWith("OAuth ") || !s.contentType().startsWith("multipart/form-data") || !s.query().matches("client_id_type=(YCLID|CLIENT_ID)")) {
                return "offline conversions: OAuth token, multipart file, client_id_type";
            }
            String header = s.file().split("\n")[0].toLowerCase(Locale.ROOT);
            if (!header.matches("(yclid|clientid),target,datetime,price,currency")) {
                return "the file's header is Yclid|ClientId,Target,DateTime,Price,Currency";
            }
            return null;
        }
        return "no such endpoint: " + s.method() + " " + p;
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static void answer(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
