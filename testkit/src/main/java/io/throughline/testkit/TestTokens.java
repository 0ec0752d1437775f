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
    /** The audience every Throughline token carries (Keycloak's audience mapper on each client; services verify it). */
    public static final String AUDIENCE = "throughline";
    private static final PrivateKey KEY = loadKey();

    private TestTokens() {
    }

    /** A person of a workspace with the given realm roles. */
    public static String user(String tenant, String... roles) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(UUID.randomUUID().toString()).upn(tenant + "-user")
                .claim("tenant", tenant).claim("azp", "throughline-cli")
                .groups(Set.of(roles)).expiresIn(Duration.ofMinutes(10))
                .jws().keyId("testkit").sign(KEY);
    }

    /** A token without a tenant claim (for example a misconfigured client). */
    public static String withoutTenant(String... roles) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(UUID.randomUUID().toString()).groups(Set.of(roles))
                .expiresIn(Duration.ofMinutes(10)).jws().keyId("testkit").sign(KEY);
    }

    /** A Throughline service's service-account token, as presented on gRPC calls. */
    public static String service(String clientId) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(UUID.randomUUID().toString()).claim("azp", clientId)
                .groups(Set.of("service")).expiresIn(Duration.ofMinutes(10))
                .jws().keyId("testkit").sign(KEY);
    }

    /** A well-formed token signed by a key nobody trusts. */
    public static String forged(String tenant, String... roles) {
        try {
            var generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return Jwt.issuer(ISSUER).audience(AUDIENCE).subject("intruder").claim("tenant", tenant).groups(Set.of(roles))
                    .expiresIn(Duration.ofMinutes(10)).jws().keyId("testkit").sign(generator.generateKeyPair().getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token of the trusted key that expired {@code ago} (past the verifier's clock skew allowance). */
    public static String expired(String tenant, java.time.Duration ago, String... roles) {
        long now = java.time.Instant.now().getEpochSecond();
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(UUID.randomUUID().toString()).claim("tenant", tenant).groups(Set.of(roles))
                .issuedAt(now - ago.toSeconds() - 600).expiresAt(now - ago.toSeconds()).jws().keyId("testkit").sign(KEY);
    }

    /** A token of the trusted key from another issuer (another realm or another Keycloak). */
    public static String otherIssuer(String tenant, String... roles) {
        return Jwt.issuer("https://elsewhere.example/realms/throughline").audience(AUDIENCE).subject(UUID.randomUUID().toString())
                .claim("tenant", tenant).groups(Set.of(roles)).expiresIn(Duration.ofMinutes(10)).jws().keyId("testkit").sign(KEY);
    }

    /** A token of the trusted key and issuer meant for another application (its audience is not Throughline). */
    public static String otherAudience(String tenant, String... roles) {
        return Jwt.issuer(ISSUER).audience("account").subject(UUID.randomUUID().toString()).claim("tenant", tenant).groups(Set.of(roles))
                .expiresIn(Duration.ofMinutes(10)).jws().keyId("testkit").sign(KEY);
    }

    /** A valid user token's claims with {@code "alg": "none"} and no signature (the classic JWT bypass). */
    public static String unsigned(String tenant, String... roles) {
        String claims = user(tenant, roles).split("\\.")[1];
        String header = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        return header + "." + claims + ".";
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
