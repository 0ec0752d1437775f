package io.throughline.testkit;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/**
 * Signed access tokens for @QuarkusTest: services under test verify them with the matching public key
 * (testkit's microprofile-config.properties), exactly as they verify Keycloak's in production.
 */
public final class TestTokens {

    public static final String ISSUER = "https://test.throughline.local/realms/throughline";
    private static final PrivateKey KEY = loadKey();

    private TestTokens() {
    }

    /** A person of a workspace with the given realm roles. */
    public static String user(String tenant, String... roles) {
        return Jwt.issuer(ISSUER).subject(UUID.randomUUID().toString()).upn(tenant + "-user")
                .claim("tenant", tenant).claim("azp", "throughline-cli")
                .groups(Set.of(roles)).expiresIn(Duration.ofMinutes(10))
                .jws().keyId("testkit").sign(KEY);
    }

    /** A token without a tenant claim (for example a misconfigured client). */
    public static String withoutTenant(String... roles) {
        return Jwt.issuer(ISSUER).subject(UUID.randomUUID().toString()).groups(Set.of(roles))
                .expiresIn(Duration.ofMinutes(10)).jws().keyId("testkit").sign(KEY);
    }

    /** A Throughline service's service-account token, as presented on gRPC calls. */
    public static String service(String clientId) {
        return Jwt.issuer(ISSUER).subject(UUID.randomUUID().toString()).claim("azp", clientId)
                .groups(Set.of("service")).expiresIn(Duration.ofMinutes(10))
                .jws().keyId("testkit").sign(KEY);
    }

    /** A well-formed token signed by a key nobody trusts. */
    public static String forged(String tenant, String... roles) {
        try {
            var generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return Jwt.issuer(ISSUER).subject("intruder").claim("tenant", tenant).groups(Set.of(roles))
                    .expiresIn(Duration.ofMinutes(10)).jws().keyId("testkit").sign(generator.generateKeyPair().getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey loadKey() {
        try (InputStream in = TestTokens.class.getResourceAsStream("/testkit/privateKey.pem")) {
            return KeyUtils.decodePrivateKey(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("testkit private key unreadable", e);
        }
    }
}
