package io.throughline.gateway.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.throughline.gateway.config.GatewayConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dashboard's page and bundle are served by the Web Bundler at / and /static/bundle; this adds where the page
 * signs in (GET /dashboard/config.json: Keycloak's base URL, realm and public client, all public facts), and the
 * headers that keep the page from being framed or sniffed, with a content security policy that lets only this origin's
 * scripts run. The page holds no secret: it signs in with PKCE and keeps
 * the token in memory.
 */
@ApplicationScoped
public class DashboardRoutes {

    private final String config;
    private final String policy;

    public DashboardRoutes(GatewayConfig gateway, ObjectMapper mapper) throws com.fasterxml.jackson.core.JsonProcessingException {
        String url = gateway.dashboard().oidcUrl().replaceAll("/+$", "");
        int realms = url.lastIndexOf("/realms/");
        if (realms < 0) {
            throw new IllegalArgumentException("throughline.gateway.dashboard.oidc-url must be a realm URL (…/realms/<realm>): " + url);
        }
        Map<String, String> body = new LinkedHashMap<>();
        body.put("authServerUrl", url.substring(0, realms));
        body.put("realm", url.substring(realms + "/realms/".length()));
        body.put("clientId", gateway.dashboard().clientId());
        this.config = mapper.writeValueAsString(body);
        java.net.URI realm = java.net.URI.create(url);
        String keycloak = realm.getScheme() + "://" + realm.getRawAuthority();
        // Scripts from this origin only (campaign names come from visitors' URLs: an injected script would not run);
        // the token exchange goes to Keycloak; ECharts' tooltips style their own markup.
        this.policy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' " + keycloak
                + "; frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'self'";
    }

    void register(@Observes Router router) {
        router.get("/dashboard/config.json").handler(rc -> rc.response().putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(config));
        router.route("/").order(-20).handler(this::pageHeaders);
        router.route("/static/bundle/*").order(-20).handler(this::pageHeaders);
    }

    private void pageHeaders(RoutingContext rc) {
        rc.response().putHeader("X-Frame-Options", "DENY").putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer").putHeader("Content-Security-Policy", policy);
        rc.next();
    }
}
