package io.throughline.identity.grpc;

import io.throughline.contracts.identity.v1.Identifier;
import io.throughline.contracts.identity.v1.IdentifierType;
import io.throughline.contracts.identity.v1.LinkRequest;
import io.throughline.contracts.identity.v1.LinkResponse;
import io.throughline.contracts.identity.v1.MutinyIdentityServiceGrpc.MutinyIdentityServiceStub;
import io.throughline.contracts.identity.v1.ResolveRequest;
import io.throughline.contracts.identity.v1.ResolveResponse;
import io.throughline.testkit.GrpcTestCalls;
import java.util.UUID;

/** Link and Resolve as tracking-service and attribution-service call them, for the scenario tests. */
public final class IdentityCalls {

    private final MutinyIdentityServiceStub stub;

    public IdentityCalls(MutinyIdentityServiceStub identity) {
        this.stub = GrpcTestCalls.asService(identity, "tracking-service");
    }

    public static Identifier id(IdentifierType type, String value) {
        return Identifier.newBuilder().setType(type).setValue(value).build();
    }

    public static Identifier visitor(String value) {
        return id(IdentifierType.IDENTIFIER_TYPE_VISITOR_ID, value);
    }

    public static Identifier email(String value) {
        return id(IdentifierType.IDENTIFIER_TYPE_EMAIL, value);
    }

    public static Identifier phone(String value) {
        return id(IdentifierType.IDENTIFIER_TYPE_PHONE, value);
    }

    public static Identifier crm(String value) {
        return id(IdentifierType.IDENTIFIER_TYPE_CRM_CONTACT_ID, value);
    }

    public LinkResponse link(String tenant, Identifier... identifiers) {
        return GrpcTestCalls.await(stub.link(LinkRequest.newBuilder().setTenantId(tenant).setSource("tracking")
                .setEventId(UUID.randomUUID().toString()).setDefaultPhoneRegion("RU").addAllIdentifiers(java.util.List.of(identifiers)).build()));
    }

    public ResolveResponse resolve(String tenant, Identifier... identifiers) {
        return GrpcTestCalls.await(stub.resolve(ResolveRequest.newBuilder().setTenantId(tenant).setDefaultPhoneRegion("RU")
                .addAllIdentifiers(java.util.List.of(identifiers)).build()));
    }

    public MutinyIdentityServiceStub stub() {
        return stub;
    }
}
