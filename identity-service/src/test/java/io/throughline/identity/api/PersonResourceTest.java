package io.throughline.identity.api;

import static io.restassured.RestAssured.given;
import static io.throughline.identity.grpc.IdentityCalls.crm;
import static io.throughline.identity.grpc.IdentityCalls.email;
import static io.throughline.identity.grpc.IdentityCalls.phone;
import static io.throughline.identity.grpc.IdentityCalls.visitor;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.throughline.contracts.identity.v1.ConfirmErasureRequest;
import io.throughline.contracts.identity.v1.ListPendingErasuresRequest;
import io.throughline.contracts.identity.v1.MutinyIdentityServiceGrpc.MutinyIdentityServiceStub;
import io.throughline.contracts.identity.v1.PendingErasure;
import io.throughline.identity.grpc.IdentityCalls;
import io.throughline.testkit.GrpcTestCalls;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_identity_test"))
class PersonResourceTest {

    @GrpcClient("self")
    MutinyIdentityServiceStub identity;

    private IdentityCalls calls;

    @BeforeEach
    void calls() {
        calls = new IdentityCalls(identity);
    }

    @Test
    void explainsAPersonWithMaskedContactsEdgesAndTheMergeLog() {
        String person = calls.link("acme", visitor("v-explain-1"), email("maria.ivanova@mail.ru")).getPersonId();
        calls.link("acme", visitor("v-explain-2"), phone("+7 903 111-22-33"));
        calls.link("acme", email("maria.ivanova@mail.ru"), phone("8 903 111 22 33"));

        given().auth().oauth2(TestTokens.user("acme", "analyst")).when().get("/api/identity/persons/" + person)
                .then().statusCode(200)
                .body("id", equalTo(person))
                .body("identifiers", hasSize(4))
                .body("identifiers.value", hasItem("m***@mail.ru"))
                .body("identifiers.value", hasItem("+7903***2233"))
                .body("identifiers.value", not(hasItem("maria.ivanova@mail.ru")))
                .body("edges", hasSize(3))
                .body("edges[0].source", equalTo("tracking"))
                .body("log.kind", hasItem("merge"));
    }

    @Test
    void anAbsorbedIdRedirectsToTheSurvivor() {
        String older = calls.link("acme", visitor("v-redirect-1"), email("older@mail.ru")).getPersonId();
        String younger = calls.link("acme", visitor("v-redirect-2"), email("younger@mail.ru")).getPersonId();
        calls.link("acme", email("older@mail.ru"), email("younger@mail.ru"));
        given().auth().oauth2(TestTokens.user("acme", "analyst")).when().get("/api/identity/persons/" + younger)
                .then().statusCode(200).body("id", equalTo(older)).body("requested_id", equalTo(younger));
    }

    @Test
    void unmergingAnEdgeSplitsThePersonAndIsLogged() {
        String person = calls.link("acme", visitor("v-split-1"), email("split.me@mail.ru")).getPersonId();
        calls.link("acme", email("split.me@mail.ru"), visitor("v-split-2"));
        List<Integer> edges = given().auth().oauth2(TestTokens.user("acme", "admin")).when().get("/api/identity/persons/" + person)
                .then().statusCode(200).body("edges", hasSize(2)).extract().path("edges.id");
        given().auth().oauth2(TestTokens.user("acme", "analyst")).contentType(ContentType.JSON)
                .body("{\"edge_id\": " + edges.get(1) + "}").when().post("/api/identity/persons/" + person + "/unmerge")
                .then().statusCode(403);
        // OWASP API1: another workspace's admin cannot split this person, even with the real edge id.
        given().auth().oauth2(TestTokens.user("globex", "admin")).contentType(ContentType.JSON)
                .body("{\"edge_id\": " + edges.get(1) + "}").when().post("/api/identity/persons/" + person + "/unmerge")
                .then().statusCode(404).contentType("application/problem+json");
        assertEquals(calls.resolve("acme", visitor("v-split-1")).getPersonId(), calls.resolve("acme", visitor("v-split-2")).getPersonId(),
                "still one person after the foreign attempt");
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON)
                .body("{\"edge_id\": " + edges.get(1) + "}").when().post("/api/identity/persons/" + person + "/unmerge")
                .then().statusCode(200).body("identifiers", hasSize(2)).body("log.kind", hasItem("split"));
        assertNotEquals(calls.resolve("acme", visitor("v-split-1")).getPersonId(), calls.resolve("acme", visitor("v-split-2")).getPersonId());
        assertEquals(person, calls.resolve("acme", visitor("v-split-1")).getPersonId(), "the oldest part keeps the id");
    }

    @Test
    void unmergeNamesWhatIsMissing() {
        String person = calls.link("acme", visitor("v-unmerge-bad")).getPersonId();
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON).body("{}")
                .when().post("/api/identity/persons/" + person + "/unmerge").then().statusCode(400).body("errors[0].field", equalTo("edge_id"));
        given().auth().oauth2(TestTokens.user("acme", "admin")).contentType(ContentType.JSON).body("{\"edge_id\": 999999}")
                .when().post("/api/identity/persons/" + person + "/unmerge").then().statusCode(404);
    }

    @Test
    void anotherWorkspaceSeesNothing() {
        String person = calls.link("acme", visitor("v-private-1")).getPersonId();
        given().auth().oauth2(TestTokens.user("globex", "admin")).when().get("/api/identity/persons/" + person).then().statusCode(404);
        given().auth().oauth2(TestTokens.user("globex", "admin")).when().delete("/api/identity/persons/" + person).then().statusCode(404);
        given().when().get("/api/identity/persons/" + person).then().statusCode(401);
    }

    @Test
    void erasureDeletesSuppressesAndIsConfirmedByEveryService() {
        String person = calls.link("erase", visitor("v-forget-me"), email("forget.me@mail.ru"), crm("amo-77")).getPersonId();
        String erasure = given().auth().oauth2(TestTokens.user("erase", "analyst")).when().delete("/api/identity/persons/" + person)
                .then().statusCode(403).extract().path("erasure_id");
        erasure = given().auth().oauth2(TestTokens.user("erase", "admin")).when().delete("/api/identity/persons/" + person)
                .then().statusCode(202).extract().path("erasure_id");

        given().auth().oauth2(TestTokens.user("erase", "admin")).when().get("/api/identity/persons/" + person).then().statusCode(404);
        assertFalse(calls.resolve("erase", email("forget.me@mail.ru")).getFound());
        assertEquals("suppressed", calls.link("erase", email("forget.me@mail.ru")).getRefused(0).getReason());
        given().auth().oauth2(TestTokens.user("erase", "admin")).when().get("/api/identity/erasures/" + erasure)
                .then().statusCode(200).body("status", equalTo("pending")).body("services", hasSize(4));

        MutinyIdentityServiceStub feed = GrpcTestCalls.asService(identity, "tracking-service");
        for (String consumer : List.of("tracking", "calltracking", "attribution")) {
            List<PendingErasure> pending = GrpcTestCalls.await(feed.listPendingErasures(
                    ListPendingErasuresRequest.newBuilder().setConsumer(consumer).build())).getErasuresList();
            PendingErasure mine = pending.stream().filter(p -> p.getPersonId().equals(person)).findFirst().orElseThrow();
            assertEquals("erase", mine.getTenantId());
            assertEquals(List.of("amo-77", "forget.me@mail.ru", "v-forget-me"),
                    mine.getIdentifiersList().stream().map(i -> i.getValue()).sorted().toList());
            GrpcTestCalls.await(feed.confirmErasure(ConfirmErasureRequest.newBuilder().setErasureId(mine.getErasureId())
                    .setConsumer(consumer).putDeleted("rows", 3).build()));
        }
        given().auth().oauth2(TestTokens.user("erase", "admin")).when().get("/api/identity/erasures/" + erasure)
                .then().statusCode(200).body("status", equalTo("done"));
        given().auth().oauth2(TestTokens.user("globex", "admin")).when().get("/api/identity/erasures/" + erasure).then().statusCode(404);
    }

    @Test
    void guardDecisionsAreVisible() {
        calls.link("guards", visitor("v-guarded-1"), email("test@test.com"));
        given().auth().oauth2(TestTokens.user("guards", "analyst")).when().get("/api/identity/guard-decisions")
                .then().statusCode(200).body("items[0].reason", equalTo("blocked_value")).body("items[0].type", equalTo("email"));
    }
}
