package io.throughline.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Map;
import java.util.Set;

@ConfigMapping(prefix = "throughline.gateway")
public interface GatewayConfig {

    /** Base URL of each service, by name (tracking, calltracking, identity, attribution, reporting). */
    Map<String, String> upstreams();

    /** Roles allowed per API path prefix; the longest matching prefix wins. */
    Map<String, Set<String>> access();

    Limits limits();

    Cors cors();

    Dashboard dashboard();

    /** The web dashboard at /: where its browser signs in (a public client with PKCE). */
    interface Dashboard {
        /** The realm's URL as a browser reaches it (https://sso.example.com/realms/throughline). */
        String oidcUrl();

        /** The realm's public client for the dashboard (authorization code flow with PKCE S256). */
        @WithDefault("throughline-cli")
        String clientId();
    }

    interface Limits {
        /** Largest body of an authenticated API call. */
        @WithDefault("2097152")
        long apiBodyBytes();

        /** Largest upload (spend and rate files) on the upload paths. */
        @WithDefault("33554432")
        long uploadBodyBytes();

        /** API paths that take file uploads (prefixes). */
        @WithDefault("/api/reporting/spend/imports,/api/reporting/rates/imports")
        java.util.List<String> uploadPaths();

        /** Largest body of a public call (/collect batches are at most 64 KB). */
        @WithDefault("65536")
        long publicBodyBytes();

        /** Largest webhook body (PBX and CRM payloads). */
        @WithDefault("1048576")
        long webhookBodyBytes();

        /** Sustained requests per second per authenticated client. */
        @WithDefault("50")
        long apiPerSecond();

        @WithDefault("200")
        long apiBurst();

        /** Sustained requests per second per client IP on public paths. */
        @WithDefault("100")
        long publicPerSecond();

        @WithDefault("400")
        long publicBurst();

        /** How many clients' buckets are remembered at once. */
        @WithDefault("100000")
        long trackedClients();
    }

    interface Cors {
        /** Origins (the dashboard's) allowed to call /api from a browser. */
        @WithDefault("http://localhost:8080")
        List<String> origins();
    }
}
