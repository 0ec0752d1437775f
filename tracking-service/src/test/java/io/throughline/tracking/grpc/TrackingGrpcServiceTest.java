package io.throughline.tracking.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import com.mongodb.client.MongoClient;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.throughline.contracts.common.v1.TimeRange;
import io.throughline.contracts.tracking.v1.GetSiteRequest;
import io.throughline.contracts.tracking.v1.ListTouchpointsRequest;
import io.throughline.contracts.tracking.v1.ListTouchpointsResponse;
import io.throughline.contracts.tracking.v1.MutinyTrackingServiceGrpc.MutinyTrackingServiceStub;
import io.throughline.testkit.GrpcTestCalls;
import io.throughline.testkit.MongoWireTestStore;
import io.throughline.testkit.TestTokens;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(MongoWireTestStore.class)
class TrackingGrpcServiceTest {

    @GrpcClient("tracking")
    MutinyTrackingServiceStub tracking;

    @Inject
    MongoClient mongo;

    @BeforeEach
    void sessions() {
        var collection = mongo.getDatabase("throughline_tracking").getCollection("sessions");
        collection.deleteMany(new Document());
        collection.insertMany(List.of(
                session("s1", "acme", "v1", "2026-01-01T10:00:00Z", "paid_search", false),
                session("s2", "acme", "v1", "2026-01-03T10:00:00Z", "direct", false),
                session("s3", "acme", "v1", "2026-01-04T10:00:00Z", "direct", true),
                session("s4", "acme", "v2", "2026-01-02T10:00:00Z", "social", false),
                session("s5", "globex", "v1", "2026-01-02T10:00:00Z", "email", false)));
    }

    @Test
    void refusesCallsWithoutServiceToken() {
        assertEquals(Status.Code.UNAUTHENTICATED, GrpcTestCalls.statusOf(() -> tracking.getSite(site("pk_x"))));
    }

    @Test
    void refusesAPersonsTokenOnServiceCalls() {
        assertEquals(Status.Code.PERMISSION_DENIED,
                GrpcTestCalls.statusOf(() -> as(TestTokens.user("acme", "admin")).getSite(site("pk_x"))));
    }

    @Test
    void refusesForgedServiceToken() {
        assertEquals(Status.Code.UNAUTHENTICATED,
                GrpcTestCalls.statusOf(() -> as(TestTokens.forged("acme", "service")).getSite(site("pk_x"))));
    }

    @Test
    void unknownSiteIsNotFound() {
        assertFalse(as(TestTokens.service("calltracking-service")).getSite(GetSiteRequest.newBuilder().setPublicKey("pk_none").build())
                .await().atMost(Duration.ofSeconds(10)).getFound());
    }

    @Test
    void listsAVisitorsSessionsInTheRangeOldestFirstWithoutJunk() {
        ListTouchpointsResponse response = as(TestTokens.service("attribution-service")).listTouchpoints(ListTouchpointsRequest.newBuilder()
                .setTenantId("acme").addVisitorIds("v1").addVisitorIds("v2")
                .setRange(TimeRange.newBuilder().setFrom(ts("2026-01-01T00:00:00Z")).setTo(ts("2026-01-03T00:00:00Z")))
                .build()).await().atMost(Duration.ofSeconds(10));
        assertEquals(List.of("s1", "s4"), response.getTouchpointsList().stream().map(t -> t.getTouchpointId()).toList());
        assertEquals("google", response.getTouchpoints(0).getCampaign().getSource());
        assertEquals("abc", response.getTouchpoints(0).getClickIdsMap().get("gclid"));
    }

    @Test
    void junkIsListedOnlyWhenAskedAndMarkedExcluded() {
        ListTouchpointsResponse response = as(TestTokens.service("attribution-service")).listTouchpoints(ListTouchpointsRequest.newBuilder()
                .setTenantId("acme").addVisitorIds("v1").setIncludeExcluded(true).build()).await().atMost(Duration.ofSeconds(10));
        assertEquals(3, response.getTouchpointsCount());
        assertTrue(response.getTouchpoints(2).getExcluded());
    }

    @Test
    void neverReturnsAnotherWorkspacesSessions() {
        ListTouchpointsResponse response = as(TestTokens.service("attribution-service")).listTouchpoints(ListTouchpointsRequest.newBuilder()
                .setTenantId("globex").addVisitorIds("v1").addVisitorIds("v2").build()).await().atMost(Duration.ofSeconds(10));
        assertEquals(List.of("s5"), response.getTouchpointsList().stream().map(t -> t.getTouchpointId()).toList());
    }

    @Test
    void streamsManyVisitorsSessionsInChunksOldestFirst() {
        var collection = mongo.getDatabase("throughline_tracking").getCollection("sessions");
        List<Document> many = new java.util.ArrayList<>();
        Instant start = Instant.parse("2025-06-01T00:00:00Z");
        for (int i = 0; i < 1200; i++) {
            // Two sessions start in each minute: the page token must break the tie by id.
            many.add(session("m" + i, "acme", "mv" + i % 3, start.plusSeconds(60L * (i / 2)).toString(), "display", i % 100 == 0));
        }
        collection.insertMany(many);
        ListTouchpointsRequest request = ListTouchpointsRequest.newBuilder().setTenantId("acme").addVisitorIds("mv0").addVisitorIds("mv1")
                .addVisitorIds("mv2").addVisitorIds("v1").setRange(TimeRange.newBuilder().setFrom(ts("2025-01-01T00:00:00Z"))).build();
        List<ListTouchpointsResponse> chunks = as(TestTokens.service("attribution-service")).streamTouchpoints(request).collect().asList()
                .await().atMost(Duration.ofSeconds(20));
        List<String> streamed = chunks.stream().flatMap(c -> c.getTouchpointsList().stream()).map(t -> t.getTouchpointId()).toList();
        List<String> listed = as(TestTokens.service("attribution-service")).listTouchpoints(request).await().atMost(Duration.ofSeconds(20))
                .getTouchpointsList().stream().map(t -> t.getTouchpointId()).toList();
        assertEquals(1188 + 2, streamed.size(), "1,200 sessions less 12 bots, and v1's two");
        assertEquals(listed, streamed, "the same sessions in the same order as ListTouchpoints");
        assertEquals(List.of(500, 500, 190), chunks.stream().map(ListTouchpointsResponse::getTouchpointsCount).toList());
        for (int k = 0; k < 2; k++) {
            List<String> rest = as(TestTokens.service("attribution-service")).streamTouchpoints(request.toBuilder()
                    .setPageToken(chunks.get(k).getNextPageToken()).build()).collect().asList().await().atMost(Duration.ofSeconds(20)).stream()
                    .flatMap(c -> c.getTouchpointsList().stream()).map(t -> t.getTouchpointId()).toList();
            assertEquals(streamed.subList(500 * (k + 1), streamed.size()), rest, "resumed after chunk " + k + ": the rest, nothing twice");
        }
        assertEquals(Status.Code.INVALID_ARGUMENT, GrpcTestCalls.statusOf(() -> as(TestTokens.service("attribution-service")).streamTouchpoints(
                request.toBuilder().setPageToken("not-a-token").build()).collect().asList()));
        assertEquals(Status.Code.INVALID_ARGUMENT, GrpcTestCalls.statusOf(() -> as(TestTokens.service("attribution-service")).streamTouchpoints(
                ListTouchpointsRequest.newBuilder().setTenantId("acme").addAllVisitorIds(java.util.Collections.nCopies(1001, "x")).build())
                .collect().asList()));
    }

    private MutinyTrackingServiceStub as(String token) {
        return GrpcTestCalls.as(tracking, token);
    }

    private static Document session(String id, String tenant, String visitor, String start, String channel, boolean junk) {
        Document d = new Document("_id", id).append("tenant_id", tenant).append("visitor_id", visitor)
                .append("started_at", Date.from(Instant.parse(start))).append("channel", channel)
                .append("campaign", new Document("source", "google").append("medium", "cpc"))
                .append("click_ids", new Document("gclid", "abc"));
        if (junk) {
            d.append("excluded", true).append("exclusion_reasons", List.of("crawler_user_agent"));
        }
        return d;
    }

    private static GetSiteRequest site(String key) {
        return GetSiteRequest.newBuilder().setPublicKey(key).build();
    }

    private static Timestamp ts(String instant) {
        Instant i = Instant.parse(instant);
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).build();
    }
}
