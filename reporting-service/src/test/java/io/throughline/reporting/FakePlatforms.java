package io.throughline.reporting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The four ad platforms' reporting APIs on a local port, checking each request as the platforms document it (method,
 * path, auth headers, the report's parameters) and answering the sample reports; a request that does not match is a
 * 400 naming what is wrong, so a test fails when the connector stops speaking the platform's language.
 */
public final class FakePlatforms implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    public record Seen(String method, String path, Map<String, String> query, Map<String, List<String>> headers, String body) {
    }

    public final List<Seen> seen = new CopyOnWriteArrayList<>();
    /** Answers 503 this many times before serving (retries are tested with it). */
    public final AtomicInteger failFirst = new AtomicInteger();
    private final AtomicInteger yandexPolls = new AtomicInteger();
    private final HttpServer server;

    public FakePlatforms() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange x) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> query = new LinkedHashMap<>();
        String raw = x.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        x.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), new ArrayList<>(v)));
        seen.add(new Seen(x.getRequestMethod(), x.getRequestURI().getPath(), query, headers, body));
        if (failFirst.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            reply(x, 503, "{\"error\": \"try later\"}", "application/json");
            return;
        }
        String path = x.getRequestURI().getPath();
        try {
            if (path.equals("/json/v5/reports")) {
                yandex(x, headers, body);
            } else if (path.equals("/token")) {
                require(body.contains("grant_type=refresh_token") && body.contains("refresh_token=rt-1"), "a refresh_token grant");
                reply(x, 200, "{\"access_token\": \"at-from-refresh\", \"expires_in\": 3599}", "application/json");
            } else if (path.matches("/v\\d+/customers/\\d+/googleAds:searchStream")) {
                require(x.getRequestMethod().equals("POST"), "POST");
                require(header(headers, "developer-token").equals("dev-token"), "the developer-token header");
                require(header(headers, "authorization").equals("Bearer at-from-refresh"), "the access token from the refresh");
                String gaql = JSON.readTree(body).path("query").asText();
                require(gaql.contains("FROM campaign") && gaql.contains("metrics.cost_micros") && gaql.contains("segments.date BETWEEN"), "a GAQL query");
                reply(x, 200, sample("google-ads-searchstream.json"), "application/json");
            } else if (path.matches("/v[\\d.]+/act_\\d+/insights")) {
                require(header(headers, "authorization").equals("Bearer meta-token"), "the access token");
                require("1".equals(query.get("time_increment")), "daily rows (time_increment=1)");
                require(query.getOrDefault("fields", "").contains("spend"), "fields with spend");
                require(JSON.readTree(query.getOrDefault("time_range", "{}")).has("since"), "a time_range");
                if (query.containsKey("after")) {
                    reply(x, 200, "{\"data\": [{\"account_id\": \"998877\", \"account_currency\": \"EUR\", \"campaign_id\": \"238003\", \"campaign_name\":"
                            + " \"Page two\", \"impressions\": \"10\", \"clicks\": \"1\", \"spend\": \"1.00\", \"date_start\": \"2026-11-02\","
                            + " \"date_stop\": \"2026-11-02\"}]}", "application/json");
                } else {
                    String next = url() + path + "?" + raw + "&after=MjQZD";
                    reply(x, 200, sample("meta-insights.json").replace("\"paging\": {", "\"paging\": {\"next\": \"" + next + "\", "), "application/json");
                }
            } else if (path.equals("/api/v2/ad_plans.json")) {
                require(header(headers, "authorization").equals("Bearer vk-token"), "the access token");
                reply(x, 200, "{\"count\": 2, \"items\": [{\"id\": 4410021, \"name\": \"retargeting\"}, {\"id\": 4410022, \"name\": \"lookalike\"}]}",
                        "application/json");
            } else if (path.equals("/api/v2/statistics/ad_plans/day.json")) {
                require("4410021,4410022".equals(query.get("id")), "the ad plans' ids");
                require(query.containsKey("date_from") && query.containsKey("date_to") && "base".equals(query.get("metrics")), "dates and base metrics");
                reply(x, 200, sample("vk-ads-statistics.json"), "application/json");
            } else {
                reply(x, 404, "{}", "application/json");
            }
        } catch (IllegalArgumentException e) {
            reply(x, 400, "{\"error\": \"expected " + e.getMessage() + "\"}", "application/json");
        }
    }

    private void yandex(HttpExchange x, Map<String, List<String>> headers, String body) throws IOException {
        require(x.getRequestMethod().equals("POST"), "POST");
        require(header(headers, "authorization").equals("Bearer y0-token"), "Authorization: Bearer <token>");
        require(!header(headers, "accept-language").isEmpty(), "Accept-Language");
        JsonNode params = JSON.readTree(body).path("params");
        require(params.path("SelectionCriteria").has("DateFrom") && params.path("SelectionCriteria").has("DateTo"), "SelectionCriteria dates");
        require(params.path("DateRangeType").asText().equals("CUSTOM_DATE") && params.path("Format").asText().equals("TSV"), "CUSTOM_DATE, TSV");
        List<String> fields = new ArrayList<>();
        params.path("FieldNames").forEach(f -> fields.add(f.asText()));
        require(fields.contains("Date") && fields.contains("Cost") && fields.contains("Criterion"), "FieldNames with Date, Criterion, Cost");
        if (yandexPolls.getAndIncrement() == 0) {
            x.getResponseHeaders().add("retryIn", "0");
            reply(x, 201, "", "text/plain");
            return;
        }
        String tsv = sample("yandex-direct-report.tsv");
        reply(x, 200, header(headers, "skipreportheader").equals("true") ? tsv.substring(tsv.indexOf('\n') + 1) : tsv, "text/tab-separated-values");
    }

    private static String header(Map<String, List<String>> headers, String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? "" : v.get(0);
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException(what);
        }
    }

    private static String sample(String name) {
        try (InputStream in = FakePlatforms.class.getResourceAsStream("/spend/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void reply(HttpExchange x, int status, String body, String type) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", type);
        x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            x.getResponseBody().write(bytes);
        }
        x.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
