package io.throughline.tracking.grpc;

import static io.throughline.tracking.TrackingFixtures.batch;
import static io.throughline.tracking.TrackingFixtures.id;
import static io.throughline.tracking.TrackingFixtures.pageview;
import static io.throughline.tracking.TrackingFixtures.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.throughline.contracts.common.v1.Touchpoint;
import io.throughline.contracts.tracking.v1.GetSessionRequest;
import io.throughline.contracts.tracking.v1.ListTouchpointsRequest;
import io.throughline.contracts.tracking.v1.MutinyTrackingServiceGrpc.MutinyTrackingServiceStub;
import io.throughline.testkit.GrpcTestCalls;
import io.throughline.testkit.MongoWireTestStore;
import io.throughline.tracking.TrackingFixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What attribution gets over gRPC for visits that came through /collect. */
@QuarkusTest
@QuarkusTestResource(MongoWireTestStore.class)
class CollectedTouchpointsTest {

    @GrpcClient("tracking")
    MutinyTrackingServiceStub tracking;

    @Test
    void aVisitorsSessionsAreTouchpointsWithCampaignClickIdsAndChannel() {
        var site = TrackingFixtures.site("touch", "shop.example.ru");
        String visitor = "visitor-" + id();
        post(batch(site.key(), visitor, pageview(id(), "https://shop.example.ru/?utm_source=yandex&utm_medium=cpc&utm_campaign=brand"
                + "&utm_term=курсы&yclid=555&gclid=666", null)), "https://shop.example.ru").statusCode(200);
        post(batch(site.key(), visitor, pageview(id(), "https://shop.example.ru/", "https://vk.com/wall-1")), "https://shop.example.ru")
                .statusCode(200);
        MutinyTrackingServiceStub attribution = GrpcTestCalls.asService(tracking, "attribution-service");
        List<Touchpoint> touchpoints = GrpcTestCalls.await(attribution.listTouchpoints(ListTouchpointsRequest.newBuilder()
                .setTenantId("touch").addVisitorIds(visitor).build())).getTouchpointsList();
        assertEquals(List.of("paid_search", "organic_social"), touchpoints.stream().map(Touchpoint::getChannel).toList());
        Touchpoint paid = touchpoints.get(0);
        assertEquals(Map.of("yclid", "555", "gclid", "666"), paid.getClickIdsMap());
        assertEquals("курсы", paid.getCampaign().getTerm());
        assertEquals("desktop", paid.getDeviceClass());
        assertEquals(Touchpoint.Kind.KIND_SESSION, paid.getKind());
        assertTrue(paid.getStartedAt().getSeconds() > 0);

        var session = GrpcTestCalls.await(attribution.getSession(GetSessionRequest.newBuilder().setTenantId("touch")
                .setSessionId(paid.getTouchpointId()).build()));
        assertTrue(session.getFound());
        assertEquals("brand", session.getSession().getCampaign().getCampaign());
        assertTrue(!GrpcTestCalls.await(attribution.getSession(GetSessionRequest.newBuilder().setTenantId("other")
                .setSessionId(paid.getTouchpointId()).build())).getFound());
    }
}
