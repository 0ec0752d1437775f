package io.throughline.testkit;

import io.smallrye.mutiny.Uni;
import io.throughline.commons.grpc.ServiceTokenSource;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/** In @QuarkusTest, outgoing gRPC calls carry a testkit-signed service token instead of Keycloak's. */
@Alternative
@Priority(10)
@ApplicationScoped
public class TestServiceTokenSource implements ServiceTokenSource {

    @Override
    public Uni<String> accessToken() {
        return Uni.createFrom().item(TestTokens.service("test-service"));
    }
}
