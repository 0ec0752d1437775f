package io.throughline.e2e;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.throughline.contracts.identity.v1.Identifier;
import io.throughline.contracts.identity.v1.IdentifierType;
import io.throughline.contracts.identity.v1.IdentityServiceGrpc;
import io.throughline.contracts.identity.v1.ResolveRequest;
import io.throughline.contracts.identity.v1.ResolveResponse;
import io.throughline.devstack.StackSettings;
import java.util.concurrent.TimeUnit;

/** Asks the real identity-service over gRPC, as another service would (attribution's Keycloak service token). */
final class IdentityProbe implements AutoCloseable {

    private final ManagedChannel channel;
    private final Keycloak keycloak;

    IdentityProbe(StackSettings settings, Keycloak keycloak) {
        this.keycloak = keycloak;
        this.channel = NettyChannelBuilder.forAddress("localhost", settings.grpcPorts().get("identity")).usePlaintext().build();
    }

    ResolveResponse resolveVisitor(String tenant, String visitor) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                "Bearer " + keycloak.client("attribution-service", "dev-attribution-service-secret"));
        return IdentityServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(10, TimeUnit.SECONDS).resolve(ResolveRequest.newBuilder().setTenantId(tenant)
                        .addIdentifiers(Identifier.newBuilder().setType(IdentifierType.IDENTIFIER_TYPE_VISITOR_ID).setValue(visitor)).build());
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
