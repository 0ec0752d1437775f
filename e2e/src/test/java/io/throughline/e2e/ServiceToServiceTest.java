package io.throughline.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.restassured.http.ContentType;
import io.throughline.contracts.tracking.v1.GetSiteRequest;
import io.throughline.contracts.tracking.v1.GetSiteResponse;
import io.throughline.contracts.tracking.v1.ListTouchpointsRequest;
import io.throughline.contracts.tracking.v1.TrackingServiceGrpc;
import io.throughline.contracts.tracking.v1.TrackingServiceGrpc.TrackingServiceBlockingStub;
import io.throughline.devstack.StackSettings;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** gRPC between services: a call carries a Keycloak service-account token, and the callee checks it. */
@ExtendWith(RunningStack.class)
class ServiceToServiceTest {

    private static Keycloak keycloak;
    private static ManagedChannel channel;

    @BeforeAll
    static void connect(StackSettings settings) {
        keycloak = new Keycloak(settings);
        channel = NettyChannelBuilder.forAddress("localhost", settings.grpcPorts().get("tracking")).usePlaintext().build();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void calltrackingAsksTrackingForTheSiteWithItsServiceToken() {
        String acmeAdmin = keycloak.login("acme-admin");
        String siteKey = given().auth().oauth2(acmeAdmin).contentType(ContentType.JSON)
                .body("{\"name\": \"Pool site\", \"domains\": [\"pool.acme.example\"], \"default_phone_region\": \"RU\"}")
                .when().post("/api/tracking/sites").then().statusCode(201).extract().path("public_key");

        given().auth().oauth2(acmeAdmin).contentType(ContentType.JSON)
                .body("{\"name\": \"E2E pool\", \"site_key\": \"" + siteKey + "\"}")
                .when().post("/api/calltracking/pools").then().statusCode(201).body("site_key", equalTo(siteKey));
        given().auth().oauth2(keycloak.login("globex-admin")).contentType(ContentType.JSON)
                .body("{\"name\": \"Hijack\", \"site_key\": \"" + siteKey + "\"}")
                .when().post("/api/calltracking/pools").then().statusCode(422);
    }

    @Test
    void aGrpcCallWithoutAServiceTokenIsRefused() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> stub(null).getSite(GetSiteRequest.newBuilder().setPublicKey("pk_x").build()));
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
    }

    @Test
    void aPersonsOrAnAdPlatformsTokenIsNotAServiceToken() {
        for (String token : new String[] {keycloak.login("acme-admin"), keycloak.client("ad-platform-acme", "dev-ad-platform-acme-secret")}) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> stub(token).getSite(GetSiteRequest.newBuilder().setPublicKey("pk_x").build()));
            assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
        }
    }

    @Test
    void aTamperedServiceTokenIsRefused() {
        String token = keycloak.client("attribution-service", "dev-attribution-service-secret");
        String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> stub(tampered).getSite(GetSiteRequest.newBuilder().setPublicKey("pk_x").build()));
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
    }

    @Test
    void aRealServiceTokenIsAccepted() {
        TrackingServiceBlockingStub attribution = stub(keycloak.client("attribution-service", "dev-attribution-service-secret"));
        GetSiteResponse missing = attribution.getSite(GetSiteRequest.newBuilder().setPublicKey("pk_nonexistent").build());
        assertTrue(!missing.getFound());
        assertEquals(0, attribution.listTouchpoints(ListTouchpointsRequest.newBuilder().setTenantId("acme")
                .addVisitorIds("nobody").build()).getTouchpointsCount());
    }

    private static TrackingServiceBlockingStub stub(String token) {
        TrackingServiceBlockingStub stub = TrackingServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        if (token == null) {
            return stub;
        }
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
}
