package io.throughline.calltracking.calls;

import static io.throughline.testkit.GrpcTestCalls.asService;
import static io.throughline.testkit.GrpcTestCalls.await;
import static io.throughline.testkit.GrpcTestCalls.statusOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.throughline.calltracking.CallTrackingFixtures;
import io.throughline.calltracking.FakeTrackingService;
import io.throughline.contracts.calltracking.v1.CallRecord;
import io.throughline.contracts.calltracking.v1.ListCallChangesRequest;
import io.throughline.contracts.calltracking.v1.ListCallChangesResponse;
import io.throughline.contracts.calltracking.v1.MutinyCallTrackingServiceGrpc.MutinyCallTrackingServiceStub;
import io.throughline.testkit.GrpcTestCalls;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Calls as reporting-service reads them: in the order they changed, judged, with the caller's person and no phone. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_calltracking_test"))
class CallChangesTest {

    @GrpcClient("self")
    MutinyCallTrackingServiceStub grpc;

    private Map<String, CallRecord> changes(String tenant) {
        Map<String, CallRecord> latest = new LinkedHashMap<>();
        String cursor = "";
        while (true) {
            ListCallChangesResponse page = await(asService(grpc, "reporting-service").listCallChanges(ListCallChangesRequest.newBuilder()
                    .setAfter(cursor).setLimit(3).build()));
            page.getCallsList().stream().filter(c -> c.getTenantId().equals(tenant)).forEach(c -> latest.put(c.getCallId(), c));
            if (page.getCallsCount() == 0) {
                return latest;
            }
            cursor = page.getNext();
        }
    }

    @Test
    void processedCallsArriveWithTheirVerdictsAndTheCallersPersonButNoPhoneNumber() {
        String site = FakeTrackingService.site("feeds-calls", "feeds");
        String number = CallTrackingFixtures.numbers(31, 1).get(0);
        CallTrackingFixtures.pool("feeds-calls", site, "", List.of(number));
        String[] pbx = Webhooks.integration("feeds-calls", "PBX feeds", "generic", null);
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Webhooks.generic(pbx, Webhooks.call("f-1", "call.completed", "+79162105101", number, start,
                "\"status\": \"answered\", \"talk_sec\": 90")).statusCode(200);
        Webhooks.generic(pbx, Webhooks.call("f-2", "call.completed", "+79162105102", number, start.plusSeconds(5),
                "\"status\": \"no_answer\", \"talk_sec\": 0")).statusCode(200);
        CallMatchingTest.processed("feeds-calls", "+79162105101");
        CallMatchingTest.processed("feeds-calls", "+79162105102");
        List<CallRecord> calls = new ArrayList<>(changes("feeds-calls").values());
        assertEquals(2, calls.size(), calls.toString());
        CallRecord answered = calls.stream().filter(c -> c.getStatus().equals("answered")).findFirst().orElseThrow();
        assertTrue(answered.getTarget());
        assertEquals("inbound", answered.getDirection());
        assertEquals("person-+79162105101", answered.getPersonId(), "the phone alone is linked when no visitor was shown the number");
        CallRecord missed = calls.stream().filter(c -> c.getStatus().equals("no_answer")).findFirst().orElseThrow();
        assertTrue(missed.getMissed());
        assertTrue(calls.stream().noneMatch(c -> c.toBuilder().clearPersonId().build().toString().contains("79162105")),
                "no phone number leaves calltracking (the fake identity names persons after their first identifier)");
        assertEquals(Status.Code.PERMISSION_DENIED, statusOf(() -> GrpcTestCalls.as(grpc, TestTokens.user("feeds-calls", "admin"))
                .listCallChanges(ListCallChangesRequest.getDefaultInstance())));
    }
}
