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
}
