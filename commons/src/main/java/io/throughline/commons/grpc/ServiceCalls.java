package io.throughline.commons.grpc;

import io.grpc.Metadata;
import io.quarkus.grpc.GrpcClientUtils;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.throughline.commons.api.RequestIds;
import org.jboss.logging.MDC;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;

/** Runs a call on another service's gRPC stub with this service's service-account token and the request id attached. */
@ApplicationScoped
public class ServiceCalls {

    private final ServiceTokenSource tokens;

    public ServiceCalls(ServiceTokenSource tokens) {
        this.tokens = tokens;
    }

    public <S, T> Uni<T> call(S stub, Function<S, Uni<T>> call) {
        return tokens.accessToken().chain(token -> call.apply(attached(stub, token)));
    }

    /** A server-streamed call, with the same token and request id. */
    public <S, T> Multi<T> stream(S stub, Function<S, Multi<T>> call) {
        return tokens.accessToken().onItem().transformToMulti(token -> call.apply(attached(stub, token)));
    }

    private static <S> S attached(S stub, String token) {
        Metadata headers = new Metadata();
        headers.put(ServiceTokenMechanism.AUTHORIZATION, "Bearer " + token);
        Object requestId = MDC.get(RequestIds.MDC_KEY);
        if (requestId != null) {
            headers.put(RequestIdFromCaller.REQUEST_ID, requestId.toString());
        }
        return GrpcClientUtils.attachHeaders(stub, headers);
    }
}
