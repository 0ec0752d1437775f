package io.throughline.commons.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A gRPC call without a bearer token is refused as UNAUTHENTICATED before it reaches a service;
 * the standard gRPC infrastructure services (health, reflection) stay open for probes.
 */
@GlobalInterceptor
@ApplicationScoped
@Priority(1)
public class RequireBearerToken implements ServerInterceptor {

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String service = call.getMethodDescriptor().getServiceName();
        if (service != null && !service.startsWith("grpc.") && headers.get(ServiceTokenMechanism.AUTHORIZATION) == null) {
            call.close(Status.UNAUTHENTICATED.withDescription("A service-account bearer token is required"), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        return next.startCall(call, headers);
    }
}
