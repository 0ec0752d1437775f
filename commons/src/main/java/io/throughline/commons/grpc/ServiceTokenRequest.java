package io.throughline.commons.grpc;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** The bearer token of a gRPC call, to be verified outside any HTTP request. */
public final class ServiceTokenRequest extends BaseAuthenticationRequest {

    private final String token;

    public ServiceTokenRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
