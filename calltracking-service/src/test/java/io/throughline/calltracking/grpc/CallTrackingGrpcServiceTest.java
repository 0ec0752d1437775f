package io.throughline.calltracking.grpc;

import static io.throughline.testkit.GrpcTestCalls.asService;
import static io.throughline.testkit.GrpcTestCalls.statusOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.throughline.contracts.calltracking.v1.ListCallTouchpointsRequest;
import io.throughline.contracts.calltracking.v1.MutinyCallTrackingServiceGrpc.MutinyCallTrackingServiceStub;
import io.throughline.testkit.PostgresTestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_calltracking_test"))
class CallTrackingGrpcServiceTest {

    private static final ListCallTouchpointsRequest REQUEST = ListCallTouchpointsRequest.newBuilder()
            .setTenantId("acme").addVisitorIds("v1").build();

    @GrpcClient("self")
    MutinyCallTrackingServiceStub calls;

    @Test
    void withoutTokenTheCallIsUnauthenticated() {
        assertEquals(Status.Code.UNAUTHENTICATED, statusOf(() -> calls.listCallTouchpoints(REQUEST)));
    }

    @Test
    void aRequestWithoutVisitorsOrPhonesIsInvalid() {
        assertEquals(Status.Code.INVALID_ARGUMENT, statusOf(() -> asService(calls, "attribution-service")
                .listCallTouchpoints(ListCallTouchpointsRequest.newBuilder().setTenantId("acme").build())));
        assertEquals(Status.Code.OK, statusOf(() -> asService(calls, "attribution-service").listCallTouchpoints(REQUEST)));
    }

    @jakarta.inject.Inject
    javax.sql.DataSource db;

    @Test
    void callsOfManyPersonsAreStreamedInChunksWithoutTheListsCap() throws Exception {
        try (var c = db.getConnection(); var sql = c.createStatement()) {
            // Calls as processed ones are stored (processed: the call processor leaves them alone); three start in most
            // minutes, so that page tokens break ties by id.
            sql.executeUpdate("""
                    INSERT INTO integrations (id, tenant_id, name, format, secret, created_at)
                    VALUES ('5a5a5a5a-0000-4000-8000-000000000001', 'stream-acme', 'stream-pbx', 'generic', 'x', now())""");
            sql.executeUpdate("""
                    INSERT INTO calls (id, tenant_id, integration_id, external_id, direction, caller_e164, called_e164, started_at, processed,
                                       next_attempt_at, received_at, updated_at, identity_linked)
                    SELECT gen_random_uuid(), 'stream-acme', '5a5a5a5a-0000-4000-8000-000000000001', 'x' || g, 'inbound',
                           '+7916555' || lpad((g % 7)::text, 4, '0'), '+74950000000',
                           timestamptz '2026-01-01 00:00:00+00' + ((g + 1) / 3) * interval '1 minute', true, now(), now(), now(), true
                    FROM generate_series(1, 10100) AS g""");
        }
        ListCallTouchpointsRequest.Builder request = ListCallTouchpointsRequest.newBuilder().setTenantId("stream-acme");
        for (int i = 0; i < 7; i++) {
            request.addCallerPhonesE164("+7916555" + String.format("%04d", i));
        }
        var chunks = asService(calls, "attribution-service").streamCallTouchpoints(request.build()).collect().asList()
                .await().atMost(java.time.Duration.ofSeconds(30));
        assertEquals(21, chunks.size(), "500 calls per chunk");
        assertEquals(10100, chunks.stream().mapToInt(c -> c.getCallsCount()).sum(), "every call, past the list's cap of 10,000");
        var first = chunks.get(0).getCalls(0);
        assertEquals("+79165550001", first.getCallerPhoneE164());
        List<String> all = chunks.stream().flatMap(c -> c.getCallsList().stream()).map(c -> c.getCallId()).toList();
        for (int k : new int[] {0, 7, 19}) {
            List<String> rest = asService(calls, "attribution-service").streamCallTouchpoints(request.setPageToken(chunks.get(k).getNextPageToken())
                    .build()).collect().asList().await().atMost(java.time.Duration.ofSeconds(30)).stream().flatMap(c -> c.getCallsList().stream())
                    .map(c -> c.getCallId()).toList();
            assertEquals(all.subList(500 * (k + 1), all.size()), rest, "resumed after chunk " + k + ": the rest, nothing twice");
        }
        assertEquals(List.of(all.get(500)), asService(calls, "attribution-service").listCallTouchpoints(request.setPageToken(chunks.get(0)
                .getNextPageToken()).build()).await().atMost(java.time.Duration.ofSeconds(30)).getCallsList().stream().limit(1).map(c -> c.getCallId())
                .toList(), "the list call takes the same tokens");
        assertEquals(Status.Code.INVALID_ARGUMENT, statusOf(() -> asService(calls, "attribution-service").streamCallTouchpoints(
                request.setPageToken("2026-01-01T00:00:00Z|not-a-uuid").build()).collect().asList()));
        assertEquals(Status.Code.INVALID_ARGUMENT, statusOf(() -> asService(calls, "attribution-service").streamCallTouchpoints(
                ListCallTouchpointsRequest.newBuilder().build()).collect().asList()));
    }
}
