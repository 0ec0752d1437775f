package io.throughline.commons.grpc;

import io.quarkus.arc.DefaultBean;
import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.Tokens;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Client-credentials tokens from Keycloak, cached until shortly before they expire so that a gRPC call
 * costs no round trip to Keycloak.
 */
@DefaultBean
@ApplicationScoped
public class OidcServiceTokenSource implements ServiceTokenSource {

    private static final Duration REFRESH_AHEAD = Duration.ofSeconds(30);

    private final OidcClient client;
    private final AtomicReference<Tokens> current = new AtomicReference<>();

    public OidcServiceTokenSource(OidcClient client) {
        this.client = client;
    }

    @Override
    public Uni<String> accessToken() {
        Tokens tokens = current.get();
        if (tokens != null && !tokens.isAccessTokenWithinRefreshInterval() && !expiresSoon(tokens)) {
            return Uni.createFrom().item(tokens.getAccessToken());
        }
        return client.getTokens().invoke(current::set).map(Tokens::getAccessToken);
    }

    private static boolean expiresSoon(Tokens tokens) {
        Long expiresAt = tokens.getAccessTokenExpiresAt();
        return expiresAt == null || expiresAt * 1000 - System.currentTimeMillis() < REFRESH_AHEAD.toMillis();
    }
}
