package io.throughline.testkit;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClientUtils;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.function.Supplier;

/** gRPC calls as another service makes them (with a bearer token), and the status a call ended with. */
public final class GrpcTestCalls {

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private GrpcTestCalls() {
    }

    /** The stub with a bearer token attached. */
    public static <S> S as(S stub, String token) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        return GrpcClientUtils.attachHeaders(stub, headers);
    }

    /** The stub as the named Throughline service calls it. */
    public static <S> S asService(S stub, String clientId) {
        return as(stub, TestTokens.service(clientId));
    }

    public static <T> T await(Uni<T> call) {
        return call.await().atMost(WAIT);
    }

    /** The status code a call failed with, or OK when it succeeded. */
    public static Status.Code statusOf(Supplier<Uni<?>> call) {
        try {
            call.get().await().atMost(WAIT);
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }
}
