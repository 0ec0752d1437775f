package io.throughline.reporting.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.throughline.reporting.config.ReportingConfig;
import io.throughline.commons.net.ConnectorUrls;
import io.throughline.reporting.domain.spend.GoogleAdsReport;
import io.throughline.reporting.domain.spend.MetaInsightsReport;
import io.throughline.reporting.domain.spend.Platforms;
import io.throughline.reporting.domain.spend.SpendFile;
import io.throughline.reporting.domain.spend.VkAdsReport;
import io.throughline.reporting.domain.spend.YandexDirectReport;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * The ad platforms' reporting APIs, as their public documentation describes the requests: Yandex Direct Reports (v5,
 * a TSV report, offline reports polled as retryIn says), Google Ads searchStream (GAQL, a refresh token exchanged
 * for an access token when given), Meta Insights (daily rows, paged) and VK Ads statistics (ad plans' names, then
 * their daily statistics). Each answer is read by the same adapter an upload of it would be. Base addresses are the
 * connector's (checked against private networks unless allowed); redirects are not followed; throttling and server
 * errors are retried a few times with a growing delay, other refusals are the connector's error.
 */
@ApplicationScoped
public class PlatformReports {

    /** A refusal worth retrying: throttled, the platform erring, the network failing. */
    public static class Transient extends RuntimeException {
        public Transient(String message) {
            super(message, null, false, false);
        }
    }

    /** A refusal the connector must be fixed for (credentials, account, request). */
    public static class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** What a pull needs: the platform account, its currency, where its API is, the (opened) credentials and options. */
    public record Pull(String platform, String account, String currency, String baseUrl, Map<String, String> credentials, Map<String, String> options,
            LocalDate from, LocalDate to, Platforms platforms, LocalDate today) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    private final ReportingConfig config;

    public PlatformReports(ReportingConfig config) {
        this.config = config;
    }

    @Retry(maxRetries = 3, delay = 500, jitter = 200, retryOn = Transient.class)
    public SpendFile fetch(Pull p) {
        return switch (p.platform()) {
            case Platforms.YANDEX_DIRECT -> yandex(p);
            case Platforms.GOOGLE_ADS -> google(p);
            case Platforms.META -> meta(p);
            case Platforms.VK_ADS -> vk(p);
            default -> throw new Refused("unknown platform " + p.platform());
        };
    }

    private SpendFile yandex(Pull p) {
        ObjectNode params = JSON.createObjectNode();
        params.putObject("SelectionCriteria").put("DateFrom", p.from().toString()).put("DateTo", p.to().toString());
        var fields = params.putArray("FieldNames");
        List.of("Date", "CampaignId", "CampaignName", "AdGroupId", "AdGroupName", "Criterion", "Impressions", "Clicks", "Cost").forEach(fields::add);
        params.put("ReportName", "throughline " + p.account() + " " + p.from() + " " + p.to()).put("ReportType", "CRITERIA_PERFORMANCE_REPORT")
                .put("DateRangeType", "CUSTOM_DATE").put("Format", "TSV").put("IncludeVAT", p.options().getOrDefault("include_vat", "NO"));
        String body = JSON.createObjectNode().set("params", params).toString();
        for (int poll = 0; poll < 30; poll++) {
            HttpRequest.Builder r = request(p, "/json/v5/reports").header("Authorization", "Bearer " + required(p, "token"))
                    .header("Accept-Language", "en").header("processingMode", "auto").header("skipReportHeader", "true")
                    .header("Content-Type", "application/json; charset=utf-8").POST(HttpRequest.BodyPublishers.ofString(body));
            String login = p.credentials().get("client_login");
            if (login != null && !login.isBlank()) {
                r.header("Client-Login", login);
            }
            HttpResponse<String> answer = send(r.build());
            if (answer.statusCode() == 201 || answer.statusCode() == 202) {
                // Built offline: poll again after the pause the service asks for.
                sleep(answer.headers().firstValue("retryIn").map(Long::parseLong).orElse(5L));
                continue;
            }
            ok(answer, "Yandex Direct");
            return YandexDirectReport.parse(answer.body(), p.account(), p.currency(), true, p.platforms(), p.today());
        }
        throw new Transient("Yandex Direct kept building the report");
    }

    private SpendFile google(Pull p) {
        String token = p.credentials().get("access_token");
        if (p.credentials().containsKey("refresh_token")) {
            token = googleAccessToken(p);
        }
        if (token == null || token.isBlank()) {
            throw new Refused("credentials need access_token, or refresh_token with client_id and client_secret");
        }
        String version = p.options().getOrDefault("api_version", "v21");
        // campaign (default: every campaign type, Performance Max included), ad_group, or keyword (search keywords only).
        String level = p.options().getOrDefault("level", "campaign");
        String detail = switch (level) {
            case "keyword" -> "ad_group.id, ad_group.name, ad_group_criterion.keyword.text, ";
            case "ad_group" -> "ad_group.id, ad_group.name, ";
            default -> "";
        };
        String resource = switch (level) {
            case "keyword" -> "keyword_view";
            case "ad_group" -> "ad_group";
            default -> "campaign";
        };
        String query = "SELECT segments.date, customer.id, customer.currency_code, campaign.id, campaign.name, " + detail
                + "metrics.impressions, metrics.clicks, metrics.cost_micros, metrics.conversions FROM " + resource
                + " WHERE segments.date BETWEEN '" + p.from() + "' AND '" + p.to() + "'";
        String customer = p.account().replace("-", "");
        HttpRequest.Builder r = request(p, "/" + version + "/customers/" + customer + "/googleAds:searchStream").header("Authorization", "Bearer " + token)
                .header("developer-token", required(p, "developer_token")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().put("query", query).toString()));
        String login = p.credentials().get("login_customer_id");
        if (login != null && !login.isBlank()) {
            r.header("login-customer-id", login.replace("-", ""));
        }
        HttpResponse<String> answer = send(r.build());
        ok(answer, "Google Ads");
        return GoogleAdsReport.parse(answer.body(), customer, p.currency(), p.platforms(), p.today());
    }

    private String googleAccessToken(Pull p) {
        String url = p.options().getOrDefault("token_url", "https://oauth2.googleapis.com/token");
        String problem = ConnectorUrls.check(url, config.connectors().allowPrivateNetworks());
        if (problem != null) {
            throw new Refused("token_url " + problem);
        }
        String form = "grant_type=refresh_token&refresh_token=" + enc(required(p, "refresh_token")) + "&client_id=" + enc(required(p, "client_id"))
                + "&client_secret=" + enc(required(p, "client_secret"));
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(url)).timeout(config.connectors().timeout())
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());
        ok(answer, "Google OAuth");
        return read(answer.body()).path("access_token").asText();
    }

    private SpendFile meta(Pull p) {
        String version = p.options().getOrDefault("api_version", "v21.0");
        String account = p.account().startsWith("act_") ? p.account() : "act_" + p.account();
        String query = "level=" + p.options().getOrDefault("level", "adset") + "&time_increment=1&limit=500&fields="
                + enc("account_id,account_currency,campaign_id,campaign_name,adset_id,adset_name,impressions,clicks,spend,actions,date_start,date_stop")
                + "&time_range=" + enc("{\"since\":\"" + p.from() + "\",\"until\":\"" + p.to() + "\"}");
        URI next = URI.create(base(p) + "/" + version + "/" + account + "/insights?" + query);
        List<JsonNode> rows = new ArrayList<>();
        for (int page = 0; page < 200 && next != null; page++) {
            HttpResponse<String> answer = send(HttpRequest.newBuilder(next).timeout(config.connectors().timeout())
                    .header("Authorization", "Bearer " + required(p, "access_token")).GET().build());
            ok(answer, "Meta");
            JsonNode body = read(answer.body());
            body.path("data").forEach(rows::add);
            String more = body.path("paging").path("next").asText("");
            // A next page on another host than the connector's is not followed (it would carry the token elsewhere).
            next = more.isEmpty() || !URI.create(more).getHost().equals(URI.create(base(p)).getHost()) ? null : URI.create(more);
        }
        ObjectNode all = JSON.createObjectNode();
        all.putArray("data").addAll(rows);
        return MetaInsightsReport.parse(all.toString(), account, p.currency(), p.platforms(), p.today());
    }

    private SpendFile vk(Pull p) {
        String token = required(p, "access_token");
        Map<String, String> names = new LinkedHashMap<>();
        int offset = 0;
        while (true) {
            HttpResponse<String> plans = send(request(p, "/api/v2/ad_plans.json?fields=id,name&limit=250&offset=" + offset)
                    .header("Authorization", "Bearer " + token).GET().build());
            ok(plans, "VK Ads");
            JsonNode items = read(plans.body()).path("items");
            items.forEach(i -> names.put(i.path("id").asText(), i.path("name").asText()));
            if (items.size() < 250) {
                break;
            }
            offset += 250;
        }
        ObjectNode all = JSON.createObjectNode();
        var out = all.putArray("items");
        List<String> ids = new ArrayList<>(names.keySet());
        for (int i = 0; i < ids.size(); i += 200) {
            String chunk = String.join(",", ids.subList(i, Math.min(ids.size(), i + 200)));
            HttpResponse<String> stats = send(request(p, "/api/v2/statistics/ad_plans/day.json?id=" + chunk + "&date_from=" + p.from() + "&date_to="
                    + p.to() + "&metrics=base").header("Authorization", "Bearer " + token).GET().build());
            ok(stats, "VK Ads");
            read(stats.body()).path("items").forEach(out::add);
        }
        return VkAdsReport.parse(all.toString(), p.account(), p.currency(), names, p.platforms(), p.today());
    }

    private HttpRequest.Builder request(Pull p, String path) {
        return HttpRequest.newBuilder(URI.create(base(p) + path)).timeout(config.connectors().timeout());
    }

    private String base(Pull p) {
        String problem = ConnectorUrls.check(p.baseUrl(), config.connectors().allowPrivateNetworks());
        if (problem != null) {
            throw new Refused("base_url " + problem);
        }
        return p.baseUrl().endsWith("/") ? p.baseUrl().substring(0, p.baseUrl().length() - 1) : p.baseUrl();
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Transient("the platform did not answer: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Transient("interrupted");
        }
    }

    private static void ok(HttpResponse<String> answer, String platform) {
        int s = answer.statusCode();
        if (s == 429 || s >= 500) {
            throw new Transient(platform + " answered " + s);
        }
        if (s != 200) {
            String body = answer.body() == null ? "" : answer.body();
            throw new Refused(platform + " refused the request (" + s + "): " + (body.length() > 300 ? body.substring(0, 300) : body));
        }
    }

    private static String required(Pull p, String key) {
        String v = p.credentials().get(key);
        if (v == null || v.isBlank()) {
            throw new Refused("credentials need " + key);
        }
        return v;
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new Refused("the answer is not JSON");
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void sleep(long seconds) {
        try {
            Thread.sleep(Math.min(60, Math.max(0, seconds)) * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
