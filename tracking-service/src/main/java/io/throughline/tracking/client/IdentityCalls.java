package io.throughline.tracking.client;

import io.quarkus.grpc.GrpcClient;
import io.throughline.commons.grpc.ProtoTimes;
import io.throughline.commons.grpc.ServiceCalls;
import io.throughline.contracts.identity.v1.Identifier;
import io.throughline.contracts.identity.v1.IdentifierType;
import io.throughline.contracts.identity.v1.LinkRequest;
import io.throughline.contracts.identity.v1.LinkResponse;
import io.throughline.contracts.identity.v1.MutinyIdentityServiceGrpc.MutinyIdentityServiceStub;
import io.throughline.tracking.domain.IdentityLink;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * identity-service as tracking uses it, over gRPC with this service's token: Link for leads and identifies,
 * and the erasure feed. Calls are bounded by a deadline; retrying is the callers' business (the outbox, the
 * feed's next round), so nothing is retried here.
 */
@ApplicationScoped
public class IdentityCalls {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final MutinyIdentityServiceStub identity;
    private final ServiceCalls calls;

    public IdentityCalls(@GrpcClient("identity") MutinyIdentityServiceStub identity, ServiceCalls calls) {
        this.identity = identity;
        this.calls = calls;
    }

    /** Sends one link and answers the person it joined; throws the gRPC status when identity-service refuses it or does not answer. */
    public LinkResponse link(IdentityLink link) {
        LinkRequest request = request(link);
        return calls.call(identity.withDeadlineAfter(5, TimeUnit.SECONDS), stub -> stub.link(request)).await().atMost(WAIT);
    }

    /** Many links of one workspace in one call (identity applies them in order in one transaction); answers in their order. */
    public java.util.List<LinkResponse> linkAll(String tenantId, java.util.List<IdentityLink> links) {
        var request = io.throughline.contracts.identity.v1.BatchLinkRequest.newBuilder().setTenantId(tenantId);
        links.forEach(l -> request.addLinks(request(l)));
        return calls.call(identity.withDeadlineAfter(10, TimeUnit.SECONDS), stub -> stub.batchLink(request.build())).await().atMost(WAIT)
                .getLinksList();
    }

    private static LinkRequest request(IdentityLink link) {
        LinkRequest.Builder request = LinkRequest.newBuilder().setTenantId(link.tenantId()).setSource("tracking")
                .setEventId(link.eventId()).setObservedAt(ProtoTimes.timestamp(link.observedAt()))
                .setDefaultPhoneRegion(link.defaultPhoneRegion() == null ? "" : link.defaultPhoneRegion());
        for (IdentityLink.Identifier id : link.identifiers()) {
            request.addIdentifiers(Identifier.newBuilder().setType(type(id.kind())).setValue(id.value()));
        }
        return request.build();
    }

    private static IdentifierType type(IdentityLink.Kind kind) {
        return switch (kind) {
            case VISITOR_ID -> IdentifierType.IDENTIFIER_TYPE_VISITOR_ID;
            case GA_CLIENT_ID -> IdentifierType.IDENTIFIER_TYPE_GA_CLIENT_ID;
            case YM_CLIENT_ID -> IdentifierType.IDENTIFIER_TYPE_YM_CLIENT_ID;
            case EMAIL -> IdentifierType.IDENTIFIER_TYPE_EMAIL;
            case PHONE -> IdentifierType.IDENTIFIER_TYPE_PHONE;
            case USER_ID -> IdentifierType.IDENTIFIER_TYPE_USER_ID;
        };
    }

}
