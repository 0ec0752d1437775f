package io.throughline.calltracking.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.grpc.GrpcClientUtils;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.throughline.contracts.calltracking.v1.ListCallTouchpointsRequest;
import io.throughline.contracts.calltracking.v1.MutinyCallTrackingServiceGrpc.MutinyCallTrackingServiceStub;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_calltracking_test"))
class CallTrackingGrpcServiceTest {

    @GrpcClient("self")
    MutinyCallTrackingServiceStub calls;

    @Test
    void withoutTokenTheCallIsUnauthenticated() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> calls.listCallTouchpoints(request()).await().atMost(Duration.ofSeconds(10)));
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
    }

    @Test
    void notYetBuiltMethodsSayUnimplementedInsteadOfPretending() {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TestTokens.service("attribution-service"));
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> GrpcClientUtils.attachHeaders(calls, headers)
                .listCallTouchpoints(request()).await().atMost(Duration.ofSeconds(10)));
        assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
    }

    private static ListCallTouchpointsRequest request() {
        return ListCallTouchpointsRequest.newBuilder().setTenantId("acme").addVisitorIds("v1").build();
    }
}
