package io.throughline.commons.grpc;

import io.smallrye.mutiny.Uni;

/** Where a service gets the service-account access token it presents to other services. */
public interface ServiceTokenSource {

    Uni<String> accessToken();
}
