package io.throughline.commons.grpc;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import io.throughline.commons.api.RequestIds;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.MDC;

/** The caller's request id (gRPC metadata {@code x-request-id}) in this service's logs for the call. */
@GlobalInterceptor
@ApplicationScoped
public class RequestIdFromCaller implements ServerInterceptor {

    static final Metadata.Key<String> REQUEST_ID = Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String id = RequestIds.accept(headers.get(REQUEST_ID));
        MDC.put(RequestIds.MDC_KEY, id);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            @Override
            public void onHalfClose() {
                MDC.put(RequestIds.MDC_KEY, id);
                super.onHalfClose();
            }
        };
    }
}
