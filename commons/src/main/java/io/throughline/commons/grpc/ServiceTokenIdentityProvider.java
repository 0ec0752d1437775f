package io.throughline.commons.grpc;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Verifies gRPC bearer tokens with Quarkus OIDC (same keys, issuer and expiry rules as REST). */
@ApplicationScoped
public class ServiceTokenIdentityProvider implements IdentityProvider<ServiceTokenRequest> {

    private final TenantIdentityProvider oidc;

    public ServiceTokenIdentityProvider(TenantIdentityProvider oidc) {
        this.oidc = oidc;
    }

    @Override
    public Class<ServiceTokenRequest> getRequestType() {
        return ServiceTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ServiceTokenRequest request, AuthenticationRequestContext context) {
        return oidc.authenticate(new AccessTokenCredential(request.token()));
    }
}
