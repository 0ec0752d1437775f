package io.throughline.identity.grpc;

import static io.throughline.testkit.GrpcTestCalls.asService;
import static io.throughline.testkit.GrpcTestCalls.statusOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.throughline.contracts.identity.v1.ConfirmErasureRequest;
import io.throughline.contracts.identity.v1.EraseRequest;
import io.throughline.contracts.identity.v1.LinkRequest;
import io.throughline.contracts.identity.v1.ListPendingErasuresRequest;
import io.throughline.contracts.identity.v1.MutinyIdentityServiceGrpc.MutinyIdentityServiceStub;
import io.throughline.contracts.identity.v1.ReportPaymentRequest;
import io.throughline.contracts.identity.v1.ResolveRequest;
import io.throughline.testkit.PostgresTestDatabase;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_identity_test"))
class IdentityGrpcServiceTest {

    @GrpcClient("self")
    MutinyIdentityServiceStub identity;

    @Test
    void withoutTokenEveryCallIsUnauthenticated() {
        assertEquals(Status.Code.UNAUTHENTICATED, statusOf(() -> identity.link(LinkRequest.getDefaultInstance())));
        assertEquals(Status.Code.UNAUTHENTICATED, statusOf(() -> identity.resolve(ResolveRequest.getDefaultInstance())));
    }

    @Test
    void methodsNotBuiltYetSayUnimplemented() {
        MutinyIdentityServiceStub stub = asService(identity, "tracking-service");
        assertEquals(Status.Code.UNIMPLEMENTED, statusOf(() -> stub.link(LinkRequest.getDefaultInstance())));
        assertEquals(Status.Code.UNIMPLEMENTED, statusOf(() -> stub.resolve(ResolveRequest.getDefaultInstance())));
        assertEquals(Status.Code.UNIMPLEMENTED, statusOf(() -> stub.erase(EraseRequest.getDefaultInstance())));
        assertEquals(Status.Code.UNIMPLEMENTED, statusOf(() -> stub.reportPayment(ReportPaymentRequest.getDefaultInstance())));
        assertEquals(Status.Code.UNIMPLEMENTED, statusOf(() -> stub.listPendingErasures(ListPendingErasuresRequest.getDefaultInstance())));
        assertEquals(Status.Code.UNIMPLEMENTED, statusOf(() -> stub.confirmErasure(ConfirmErasureRequest.getDefaultInstance())));
    }
}
