package io.throughline.identity.grpc;

import static io.throughline.identity.grpc.IdentityCalls.crm;
import static io.throughline.identity.grpc.IdentityCalls.email;
import static io.throughline.identity.grpc.IdentityCalls.phone;
import static io.throughline.identity.grpc.IdentityCalls.visitor;
import static io.throughline.testkit.GrpcTestCalls.statusOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.throughline.contracts.identity.v1.EraseRequest;
import io.throughline.contracts.identity.v1.LinkRequest;
import io.throughline.contracts.identity.v1.LinkResponse;
import io.throughline.contracts.identity.v1.MutinyIdentityServiceGrpc.MutinyIdentityServiceStub;
import io.throughline.contracts.identity.v1.PersonVerdict;
import io.throughline.contracts.identity.v1.ReportPaymentRequest;
import io.throughline.contracts.identity.v1.ResolveResponse;
import io.throughline.testkit.GrpcTestCalls;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import java.util.UUID;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_identity_test"))
class IdentityGrpcServiceTest {

    @GrpcClient("self")
    MutinyIdentityServiceStub identity;

    private IdentityCalls calls;

    @BeforeEach
    void calls() {
        calls = new IdentityCalls(identity);
    }

    @Test
    void refusesCallsWithoutOrWithTheWrongToken() {
        assertEquals(Status.Code.UNAUTHENTICATED, statusOf(() -> identity.link(LinkRequest.getDefaultInstance())));
        assertEquals(Status.Code.PERMISSION_DENIED, statusOf(() -> GrpcTestCalls.as(identity, TestTokens.user("acme", "admin"))
                .link(LinkRequest.getDefaultInstance())));
    }

    @Test
    void badRequestsAreInvalidArgumentNotServerErrors() {
        assertEquals(Status.Code.INVALID_ARGUMENT, statusOf(() -> calls.stub().link(LinkRequest.newBuilder().setSource("x")
                .setEventId("e").build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, statusOf(() -> calls.stub().link(LinkRequest.newBuilder().setTenantId("acme")
                .setSource("x").setEventId("e").addIdentifiers(IdentityCalls.id(
                        io.throughline.contracts.identity.v1.IdentifierType.IDENTIFIER_TYPE_UNSPECIFIED, "v")).build())));
    }

    @Test
    void aVisitorIsNewThenKnown() {
        LinkResponse first = calls.link("acme", visitor("v-new-then-known"));
        assertEquals(PersonVerdict.PERSON_VERDICT_NEW, first.getVerdict());
        LinkResponse again = calls.link("acme", visitor("v-new-then-known"));
        assertEquals(PersonVerdict.PERSON_VERDICT_KNOWN, again.getVerdict());
        assertEquals(first.getPersonId(), again.getPersonId());
    }

    @Test
    void bothPhoneFormsAreOnePersonAndTheOldestIdSurvivesAMerge() {
        String older = calls.link("acme", visitor("v-laptop-0001"), phone("8 (912) 345-67-89")).getPersonId();
        String younger = calls.link("acme", visitor("v-phone-0002"), email("Ivan.Petrov@Mail.ru")).getPersonId();
        assertNotEquals(older, younger);
        LinkResponse merge = calls.link("acme", phone("+7 912 345-67-89"), email("ivan.petrov@mail.ru"));
        assertEquals(older, merge.getPersonId());
        ResolveResponse resolved = calls.resolve("acme", visitor("v-phone-0002"));
        assertEquals(older, resolved.getPersonId());
        assertEquals(4, resolved.getIdentifiersCount());
        assertTrue(resolved.getIdentifiersList().stream().filter(i -> i.getType().getNumber() == 5).allMatch(i -> i.getValue().isEmpty()),
                "personal values never leave the service");
    }

    @Test
    void contactsForAudiencesFollowMergesAndTheChangeFeedNamesThem() {
        long cursor = lastChange();
        String older = calls.link("aud", crm("aud-c1"), phone("8 (912) 345-67-01")).getPersonId();
        String younger = calls.link("aud", visitor("v-aud-0002"), email(" Olga.K@Mail.ru ")).getPersonId();
        calls.link("aud", visitor("v-aud-0002"), phone("+7 912 345-67-01"));
        var answer = io.throughline.testkit.GrpcTestCalls.await(calls.stub().listPersonContacts(
                io.throughline.contracts.identity.v1.ListPersonContactsRequest.newBuilder().setTenantId("aud")
                        .addPersonIds(younger).addPersonIds(older).addPersonIds(UUID.randomUUID().toString()).addPersonIds("junk").build()));
        assertEquals(older, answer.getPersons(0).getPersonId(), "an absorbed id answers its survivor");
        assertEquals(java.util.List.of("olga.k@mail.ru"), answer.getPersons(0).getEmailsList());
        assertEquals(java.util.List.of("+79123456701"), answer.getPersons(0).getPhonesList());
        assertEquals("", answer.getPersons(2).getPersonId());
        assertEquals("", answer.getPersons(3).getPersonId());
        var otherWorkspace = io.throughline.testkit.GrpcTestCalls.await(calls.stub().listPersonContacts(
                io.throughline.contracts.identity.v1.ListPersonContactsRequest.newBuilder().setTenantId("aud-other").addPersonIds(older).build()));
        assertEquals("", otherWorkspace.getPersons(0).getPersonId(), "another workspace's person is unknown");
        var changes = io.throughline.testkit.GrpcTestCalls.await(calls.stub().listPersonChanges(
                io.throughline.contracts.identity.v1.ListPersonChangesRequest.newBuilder().setAfterId(cursor).build())).getChangesList();
        assertTrue(changes.stream().anyMatch(c -> c.getKind().equals("merge") && c.getTenantId().equals("aud") && c.getPersonId().equals(older)
                && c.getOthersList().contains(younger)), changes.toString());
        assertTrue(changes.stream().allMatch(c -> c.getId() > cursor));

        // A gmail address matches without dots and +suffix, but is exported as written (lower-cased): only Google
        // applies that rule, Meta and Yandex hash the address itself.
        String gmail = calls.link("aud", crm("aud-c3"), email(" Anna.Smith+promo@GMail.com")).getPersonId();
        assertEquals(calls.resolve("aud", email("annasmith@gmail.com")).getPersonId(), gmail);
        var exported = io.throughline.testkit.GrpcTestCalls.await(calls.stub().listPersonContacts(
                io.throughline.contracts.identity.v1.ListPersonContactsRequest.newBuilder().setTenantId("aud").addPersonIds(gmail).build()));
        assertEquals(java.util.List.of("anna.smith+promo@gmail.com"), exported.getPersons(0).getEmailsList());
    }

    @Test
    void batchResolveAnswersEachItemAsResolveDoes() {
        String anna = calls.link("batch", crm("b-1"), email("anna@batch.ru"), visitor("v-batch-0001")).getPersonId();
        String ivan = calls.link("batch", phone("+7 916 555-77-01")).getPersonId();
        var request = io.throughline.contracts.identity.v1.BatchResolveRequest.newBuilder().setTenantId("batch").setDefaultPhoneRegion("RU");
        request.addItems(io.throughline.contracts.identity.v1.ResolveItem.newBuilder().setKey("a").addIdentifiers(email("Anna@Batch.ru")));
        request.addItems(io.throughline.contracts.identity.v1.ResolveItem.newBuilder().setKey("nobody").addIdentifiers(email("nobody@batch.ru")));
        request.addItems(io.throughline.contracts.identity.v1.ResolveItem.newBuilder().setKey("i").addIdentifiers(phone("8 916 555 77 01")));
        request.addItems(io.throughline.contracts.identity.v1.ResolveItem.newBuilder().setKey("empty"));
        var answer = io.throughline.testkit.GrpcTestCalls.await(calls.stub().batchResolve(request.build())).getResultsList();
        assertEquals(java.util.List.of("a", "nobody", "i", "empty"), answer.stream().map(r -> r.getKey()).toList());
        assertEquals(calls.resolve("batch", email("anna@batch.ru")), answer.get(0).getResolved(), "the same answer as Resolve");
        assertEquals(anna, answer.get(0).getResolved().getPersonId());
        assertFalse(answer.get(1).getResolved().getFound());
        assertEquals(ivan, answer.get(2).getResolved().getPersonId());
        assertFalse(answer.get(3).getResolved().getFound());
        var other = io.throughline.testkit.GrpcTestCalls.await(calls.stub().batchResolve(io.throughline.contracts.identity.v1.BatchResolveRequest
                .newBuilder().setTenantId("batch-other").addItems(io.throughline.contracts.identity.v1.ResolveItem.newBuilder().setKey("a")
                        .addIdentifiers(email("anna@batch.ru"))).build())).getResults(0);
        assertFalse(other.getResolved().getFound(), "another workspace's person is not found");
    }

    @Test
    void batchLinkAppliesEventsInOrderAsLinkDoes() {
        // A payer known before the batch, then in one batch: a new visitor, the visitor's lead joining the payer,
        // a second device of the payer, a CRM contact conflicting with the payer's, and a blocked e-mail.
        calls.link("batch-link", crm("bl-1"), email("payer@batch-link.ru"));
        GrpcTestCalls.await(calls.stub().reportPayment(ReportPaymentRequest.newBuilder().setTenantId("batch-link").setPaymentId("bl-pay")
                .setPaidAt(Timestamp.newBuilder().setSeconds(1_780_000_000)).addIdentifiers(email("payer@batch-link.ru")).build()));
        var request = io.throughline.contracts.identity.v1.BatchLinkRequest.newBuilder().setTenantId("batch-link");
        java.util.function.BiConsumer<String, io.throughline.contracts.identity.v1.Identifier[]> add = (id, ids) -> request.addLinks(
                LinkRequest.newBuilder().setTenantId("ignored").setSource("tracking").setEventId(id).setDefaultPhoneRegion("RU")
                        .addAllIdentifiers(java.util.List.of(ids)));
        add.accept("e1", new io.throughline.contracts.identity.v1.Identifier[] {visitor("v-bl-0001")});
        add.accept("e2", new io.throughline.contracts.identity.v1.Identifier[] {visitor("v-bl-0001"), email("Payer@Batch-Link.ru")});
        add.accept("e3", new io.throughline.contracts.identity.v1.Identifier[] {visitor("v-bl-0002"), phone("8 916 555 44 01"), email("payer@batch-link.ru")});
        add.accept("e4", new io.throughline.contracts.identity.v1.Identifier[] {crm("bl-2"), phone("+7 916 555-44-01")});
        add.accept("e5", new io.throughline.contracts.identity.v1.Identifier[] {email("test@test.com")});
        var answers = GrpcTestCalls.await(calls.stub().batchLink(request.build())).getLinksList();
        assertEquals(5, answers.size());
        String payer = calls.resolve("batch-link", crm("bl-1")).getPersonId();
        assertEquals(PersonVerdict.PERSON_VERDICT_NEW, answers.get(0).getVerdict());
        assertNotEquals(payer, answers.get(0).getPersonId());
        assertEquals(payer, answers.get(1).getPersonId(), "the visitor's person merged into the older payer");
        assertEquals(PersonVerdict.PERSON_VERDICT_RETURNING_CUSTOMER, answers.get(1).getVerdict());
        assertEquals(payer, answers.get(2).getPersonId());
        assertEquals("unique_conflict", answers.get(3).getRefused(0).getReason(), "a second CRM contact never joins the payer");
        assertEquals("", answers.get(4).getPersonId());
        assertEquals(1, answers.get(4).getRefusedCount());
        assertEquals(payer, calls.resolve("batch-link", visitor("v-bl-0001")).getPersonId(), "what e1 created now resolves to the payer");
        assertFalse(calls.resolve("ignored", visitor("v-bl-0001")).getFound(), "the batch's workspace applies, not each link's");

        assertEquals(Status.Code.INVALID_ARGUMENT, statusOf(() -> calls.stub().batchLink(io.throughline.contracts.identity.v1.BatchLinkRequest
                .newBuilder().setTenantId("batch-link").addLinks(LinkRequest.newBuilder().setSource("tracking").setEventId("ok")
                        .addIdentifiers(visitor("v-bl-0003"))).addLinks(LinkRequest.newBuilder().setSource("tracking")).build())));
        assertFalse(calls.resolve("batch-link", visitor("v-bl-0003")).getFound(), "an invalid event refuses the whole batch");
        var tooMany = io.throughline.contracts.identity.v1.BatchLinkRequest.newBuilder().setTenantId("batch-link");
        for (int i = 0; i <= 500; i++) {
            tooMany.addLinks(LinkRequest.newBuilder().setSource("tracking").setEventId("m" + i).addIdentifiers(visitor("v-bl-m" + i)));
        }
        assertEquals(Status.Code.INVALID_ARGUMENT, statusOf(() -> calls.stub().batchLink(tooMany.build())));
    }

    @Test
    void aBatchEventFollowsAMergeMadeByAnEarlierEventOfTheSameBatch() {
        // The batch reads every event's nodes up front; e2's phone belongs to Pavel's person when it is read, and e1 merges
        // that person into the older one before e2 is applied: e2 must land on the survivor.
        String older = calls.link("batch-merge", visitor("v-bm-0001")).getPersonId();
        String pavel = calls.link("batch-merge", email("pavel@batch-merge.ru"), phone("+7 916 555-66-01")).getPersonId();
        assertNotEquals(older, pavel);
        var request = io.throughline.contracts.identity.v1.BatchLinkRequest.newBuilder().setTenantId("batch-merge")
                .addLinks(LinkRequest.newBuilder().setSource("tracking").setEventId("bm1").addIdentifiers(visitor("v-bm-0001"))
                        .addIdentifiers(email("pavel@batch-merge.ru")))
                .addLinks(LinkRequest.newBuilder().setSource("tracking").setEventId("bm2").setDefaultPhoneRegion("RU")
                        .addIdentifiers(phone("+7 916 555-66-01")).addIdentifiers(visitor("v-bm-0002")));
        var answers = GrpcTestCalls.await(calls.stub().batchLink(request.build())).getLinksList();
        assertEquals(older, answers.get(0).getPersonId(), "Pavel's person merged into the older one");
        assertEquals(older, answers.get(1).getPersonId(), "the phone read before the merge leads to the survivor");
        assertEquals(older, calls.resolve("batch-merge", visitor("v-bm-0002")).getPersonId());
        assertEquals(4, calls.resolve("batch-merge", phone("+7 916 555-66-01")).getIdentifiersCount());
    }

    private long lastChange() {
        var all = io.throughline.testkit.GrpcTestCalls.await(calls.stub().listPersonChanges(
                io.throughline.contracts.identity.v1.ListPersonChangesRequest.newBuilder().setLimit(5000).build())).getChangesList();
        return all.isEmpty() ? 0 : all.get(all.size() - 1).getId();
    }

    @Test
    void anOfficeComputersCookieDoesNotFoldItsUsersIntoOnePerson() {
        // Five colleagues fill forms on one PC: their e-mails join the cookie's person, up to the limit of five e-mails.
        String office = null;
        for (int i = 1; i <= 5; i++) {
            office = calls.link("office", visitor("v-office-pc-0001"), email("colleague" + i + "@corp-two.ru")).getPersonId();
        }
        // Olga is known from her own laptop; then she fills a form on that PC too.
        String olga = calls.link("office", visitor("v-olga-laptop-01"), email("olga@corp-two.ru")).getPersonId();
        LinkResponse onThePc = calls.link("office", visitor("v-office-pc-0001"), email("olga@corp-two.ru"));
        assertEquals(olga, onThePc.getPersonId(), "her lead is hers: the e-mail outranks the shared cookie");
        assertEquals("type_limit", onThePc.getRefused(0).getReason(), "the cookie gives way, and the refusal is recorded");
        assertEquals(office, calls.resolve("office", visitor("v-office-pc-0001")).getPersonId(), "the PC's person was not merged into hers");
        assertEquals(olga, calls.resolve("office", email("olga@corp-two.ru")).getPersonId());
        assertEquals(2, calls.resolve("office", email("olga@corp-two.ru")).getIdentifiersCount(), "only her laptop and her e-mail");
    }

    @Test
    void twoCrmContactsAreNeverMergedAndTheRefusalIsRecorded() {
        calls.link("acme", crm("amo-1"), email("anna@corp-one.ru"));
        calls.link("acme", crm("amo-2"), phone("+7 916 555-12-34"));
        LinkResponse bridge = calls.link("acme", email("anna@corp-one.ru"), phone("+7 916 555-12-34"));
        assertEquals("unique_conflict", bridge.getRefused(0).getReason());
        assertNotEquals(calls.resolve("acme", crm("amo-1")).getPersonId(), calls.resolve("acme", crm("amo-2")).getPersonId());
    }

    @Test
    void aValueSharedByMoreThanThreeContactsIsQuarantinedAndStopsLinking() {
        for (int i = 1; i <= 3; i++) {
            calls.link("hubs", crm("c-" + i), email("front.desk@shared-desk.ru"));
        }
        LinkResponse fourth = calls.link("hubs", crm("c-4"), email("front.desk@shared-desk.ru"));
        assertTrue(fourth.getRefusedList().stream().anyMatch(r -> r.getReason().equals("quarantined_hub")));
        assertFalse(calls.resolve("hubs", email("front.desk@shared-desk.ru")).getFound());
        assertNotEquals(calls.resolve("hubs", crm("c-1")).getPersonId(), calls.resolve("hubs", crm("c-2")).getPersonId());
    }

    @Test
    void blockedAndJunkValuesNeverBecomeNodes() {
        LinkResponse response = calls.link("acme", visitor("v-blocked-0001"), email("test@test.com"), phone("+7 999 999 99 99"),
                email("info@acme.ru"));
        assertEquals(3, response.getRefusedCount());
        assertFalse(calls.resolve("acme", email("test@test.com")).getFound());
    }

    @Test
    void aPayerIsAReturningCustomerNotANewLead() {
        calls.link("acme", visitor("v-buyer-0001"), email("buyer@shop.ru"));
        ReportPaymentRequest payment = ReportPaymentRequest.newBuilder().setTenantId("acme").setPaymentId("amocrm:pay-1")
                .setPaidAt(Timestamp.newBuilder().setSeconds(1_780_000_000)).addIdentifiers(email("buyer@shop.ru")).build();
        GrpcTestCalls.await(calls.stub().reportPayment(payment));
        GrpcTestCalls.await(calls.stub().reportPayment(payment));
        LinkResponse lead = calls.link("acme", visitor("v-buyer-tablet"), email("Buyer@Shop.ru"));
        assertEquals(PersonVerdict.PERSON_VERDICT_RETURNING_CUSTOMER, lead.getVerdict());
    }

    @Test
    void aLeadFromBeforeTheFirstPaymentIsNotAReturningCustomersEvenWhenItArrivesAfterIt() {
        calls.link("acme", visitor("v-late-0001"), email("late.buyer@shop.ru"));
        GrpcTestCalls.await(calls.stub().reportPayment(ReportPaymentRequest.newBuilder().setTenantId("acme").setPaymentId("amocrm:late-pay")
                .setPaidAt(Timestamp.newBuilder().setSeconds(1_780_000_000)).addIdentifiers(email("late.buyer@shop.ru")).build()));
        java.util.function.LongFunction<LinkResponse> leadAt = seconds -> GrpcTestCalls.await(calls.stub().link(LinkRequest.newBuilder()
                .setTenantId("acme").setSource("tracking").setEventId("late-" + seconds).setDefaultPhoneRegion("RU")
                .setObservedAt(Timestamp.newBuilder().setSeconds(seconds)).addIdentifiers(visitor("v-late-0001"))
                .addIdentifiers(email("late.buyer@shop.ru")).build()));
        // an import of history: the lead that led to the purchase arrives after the payment was reported
        assertEquals(PersonVerdict.PERSON_VERDICT_KNOWN, leadAt.apply(1_780_000_000 - 86_400).getVerdict());
        assertEquals(PersonVerdict.PERSON_VERDICT_RETURNING_CUSTOMER, leadAt.apply(1_780_000_000 + 86_400).getVerdict());
    }

    @Test
    void eraseOverGrpcForgetsThePersonOfThatWorkspaceOnly() {
        String person = calls.link("acme", visitor("v-grpc-erase"), email("grpc.erase@mail.ru")).getPersonId();
        assertEquals(Status.Code.NOT_FOUND, statusOf(() -> calls.stub().erase(EraseRequest.newBuilder().setTenantId("globex")
                .setPersonId(person).build())));
        String erasure = GrpcTestCalls.await(calls.stub().erase(EraseRequest.newBuilder().setTenantId("acme").setPersonId(person)
                .setRequestedBy("attribution-service").build())).getErasureId();
        assertFalse(erasure.isEmpty());
        assertFalse(calls.resolve("acme", visitor("v-grpc-erase")).getFound());
    }

    @Test
    void workspacesHaveSeparateGraphs() {
        calls.link("acme", email("shared.person@mail.ru"), visitor("v-acme-0001"));
        assertFalse(calls.resolve("globex", email("shared.person@mail.ru")).getFound());
        LinkResponse globex = calls.link("globex", email("shared.person@mail.ru"));
        assertEquals(PersonVerdict.PERSON_VERDICT_NEW, globex.getVerdict());
    }
}
