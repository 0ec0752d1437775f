package io.throughline.attribution.grpc;

import static io.throughline.testkit.GrpcTestCalls.asService;
import static io.throughline.testkit.GrpcTestCalls.statusOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.throughline.contracts.attribution.v1.MutinyAttributionServiceGrpc.MutinyAttributionServiceStub;
import io.throughline.contracts.attribution.v1.QueryCreditsRequest;
import io.throughline.contracts.attribution.v1.QueryFunnelRequest;
import io.throughline.testkit.PostgresTestDatabase;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_attribution_test"))
class AttributionGrpcServiceTest {

    @GrpcClient("self")
    MutinyAttributionServiceStub attribution;

    @Test
    void refusesCallsWithoutServiceToken() {
        assertEquals(Status.Code.UNAUTHENTICATED, statusOf(() -> attribution.queryCredits(QueryCreditsRequest.getDefaultInstance())));
    }

    @Test
    void queriesWithoutATenantOrWithABadRunIdAreInvalid() {
        MutinyAttributionServiceStub stub = asService(attribution, "reporting-service");
        assertEquals(Status.Code.INVALID_ARGUMENT, statusOf(() -> stub.queryCredits(QueryCreditsRequest.getDefaultInstance())));
        assertEquals(Status.Code.INVALID_ARGUMENT, statusOf(() -> stub.queryFunnel(QueryFunnelRequest.getDefaultInstance())));
        assertEquals(Status.Code.INVALID_ARGUMENT, statusOf(() -> stub.queryCredits(QueryCreditsRequest.newBuilder().setTenantId("acme")
                .setRunId("not-a-run").build())));
    }
}
