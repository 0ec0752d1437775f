package io.throughline.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.throughline.contracts.identity.v1.Identifier;
import io.throughline.contracts.identity.v1.IdentifierType;
import io.throughline.contracts.identity.v1.IdentityServiceGrpc;
import io.throughline.contracts.identity.v1.IdentityServiceGrpc.IdentityServiceBlockingStub;
import io.throughline.contracts.identity.v1.LinkRequest;
import io.throughline.contracts.identity.v1.PersonVerdict;
import io.throughline.devstack.StackSettings;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A lead linked by a service over gRPC is explained to the workspace's people through the gateway, and to nobody else. */
@ExtendWith(RunningStack.class)
class IdentityEndToEndTest {

    private static Keycloak keycloak;
    private static ManagedChannel channel;

    @BeforeAll
    static void connect(StackSettings settings) {
        keycloak = new Keycloak(settings);
        channel = NettyChannelBuilder.forAddress("localhost", settings.grpcPorts().get("identity")).usePlaintext().build();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aLinkedLeadIsExplainedThroughTheGatewayToItsWorkspaceOnly() {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                "Bearer " + keycloak.client("tracking-service", "dev-tracking-service-secret"));
        IdentityServiceBlockingStub identity = IdentityServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers)).withDeadlineAfter(10, TimeUnit.SECONDS);
        LinkRequest lead = LinkRequest.newBuilder().setTenantId("acme").setSource("tracking").setEventId("e2e-lead-1")
                .setDefaultPhoneRegion("RU")
                .addIdentifiers(Identifier.newBuilder().setType(IdentifierType.IDENTIFIER_TYPE_VISITOR_ID).setValue("e2e-visitor-1"))
                .addIdentifiers(Identifier.newBuilder().setType(IdentifierType.IDENTIFIER_TYPE_EMAIL).setValue("Olga.E2E@Mail.ru"))
                .addIdentifiers(Identifier.newBuilder().setType(IdentifierType.IDENTIFIER_TYPE_PHONE).setValue("8 (916) 555-12-34"))
                .build();
        var linked = identity.link(lead);
        assertEquals(PersonVerdict.PERSON_VERDICT_NEW, linked.getVerdict());

        given().auth().oauth2(keycloak.login("acme-analyst")).when().get("/api/identity/persons/" + linked.getPersonId())
                .then().statusCode(200).body("identifiers", hasSize(3)).body("identifiers.value", hasItem("o***@mail.ru"))
                .body("edges", hasSize(2)).body("edges[0].event_id", equalTo("e2e-lead-1"));
        given().auth().oauth2(keycloak.login("globex-analyst")).when().get("/api/identity/persons/" + linked.getPersonId())
                .then().statusCode(404);
    }
}
