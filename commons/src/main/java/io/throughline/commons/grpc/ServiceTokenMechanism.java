package io.throughline.commons.grpc;

import io.grpc.Metadata;
import io.quarkus.grpc.auth.GrpcSecurityMechanism;
import io.quarkus.security.identity.request.AuthenticationRequest;
import jakarta.inject.Singleton;

/**
 * Reads the service-account bearer token of an incoming gRPC call; {@link ServiceTokenIdentityProvider} then
 * verifies it against the realm's cached keys, and {@code @RolesAllowed("service")} on the endpoint does the rest.
 */
@Singleton
public class ServiceTokenMechanism implements GrpcSecurityMechanism {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "Bearer ";

    @Override
    public boolean handles(Metadata metadata) {
        String value = metadata.get(AUTHORIZATION);
        return value != null && value.regionMatches(true, 0, BEARER, 0, BEARER.length());
    }

    @Override
    public AuthenticationRequest createAuthenticationRequest(Metadata metadata) {
        String token = metadata.get(AUTHORIZATION).substring(BEARER.length()).trim();
        return new ServiceTokenRequest(token);
    }
}
