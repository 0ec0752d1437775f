package io.throughline.gateway.api;

import io.throughline.gateway.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * One streaming reverse proxy per service (Vert.x HTTP proxy): bodies are piped, except the small bodies of idempotent
 * requests, which are kept to send once more when the service closes the connection under them.
 */
@ApplicationScoped
public class UpstreamProxies {

    private static final Logger LOG = Logger.getLogger(UpstreamProxies.class);

    private final Map<String, HttpProxy> proxies = new HashMap<>();
    private final Map<String, URI> origins = new HashMap<>();
    private final HttpClient client;

    public UpstreamProxies(Vertx vertx, GatewayConfig config) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(64).setKeepAlive(true)
                .setConnectTimeout(2000).setIdleTimeout(60));
        config.upstreams().forEach((service, url) -> {
            URI uri = URI.create(url);
            HttpProxy proxy = HttpProxy.reverseProxy(client).origin(uri.getPort() < 0 ? 80 : uri.getPort(), uri.getHost());
            proxy.addInterceptor(new DependencyDownAsProblem(service));
            proxies.put(service, proxy);
            origins.put(service, uri);
        });
    }

    public Set<String> services() {
        return proxies.keySet();
    }

    public HttpProxy proxy(String service) {
        return proxies.get(service);
    }

    public URI origin(String service) {
        return origins.get(service);
    }

    public HttpClient client() {
        return client;
    }

    /** Methods that may be sent twice without doing anything twice (RFC 9110; the API's PUTs are idempotent by key). */
    private static final Set<io.vertx.core.http.HttpMethod> IDEMPOTENT = Set.of(io.vertx.core.http.HttpMethod.GET, io.vertx.core.http.HttpMethod.HEAD,
            io.vertx.core.http.HttpMethod.OPTIONS, io.vertx.core.http.HttpMethod.PUT, io.vertx.core.http.HttpMethod.DELETE);
    /** The largest body kept to send again (API bodies are limited to 2 MB before they get here). */
    private static final long RETRY_BODY_BYTES = 2 * 1024 * 1024;

    /**
     * A service that does not answer becomes a 503 problem with Retry-After, not a bare 502. An idempotent request whose
     * pooled connection the service closed under it (a keep-alive race, a restart) is sent once more on a new connection:
     * its body (at most 2 MB, declared by Content-Length) is kept for that; a chunked body is streamed and not retried.
     */
    private static final class DependencyDownAsProblem implements ProxyInterceptor {

        private final String service;

        DependencyDownAsProblem(String service) {
            this.service = service;
        }

        @Override
        public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
            MultiMap headers = context.request().headers();
            headers.remove("Forwarded");
            return (retryable(context) ? sendTwiceIfClosed(context) : context.sendRequest()).recover(failure -> {
                LOG.warnf("%s did not answer: %s", service, failure.getMessage());
                ProxyResponse response = context.request().response().setStatusCode(503).setStatusMessage("Service Unavailable");
                response.headers().set("Content-Type", "application/problem+json").set("Retry-After", "5");
                response.setBody(Body.body(Buffer.buffer(Problems.json(503, "dependency-unavailable", "Dependency unavailable",
                        service + "-service is not answering; retry later").encode())));
                return Future.succeededFuture(response);
            });
        }

        private static boolean retryable(ProxyContext context) {
            if (!IDEMPOTENT.contains(context.request().getMethod())) {
                return false;
            }
            MultiMap headers = context.request().proxiedRequest().headers();
            String length = headers.get("Content-Length");
            if (length == null) {
                return !"chunked".equalsIgnoreCase(headers.get("Transfer-Encoding"));
            }
            try {
                return Long.parseLong(length.trim()) <= RETRY_BODY_BYTES;
            } catch (NumberFormatException e) {
                return false;
            }
        }

        /** The whole body of the request, read from the stream the proxy would have piped (paused or not). */
        private static Future<Buffer> read(Body body) {
            io.vertx.core.Promise<Buffer> whole = io.vertx.core.Promise.promise();
            Buffer out = Buffer.buffer();
            io.vertx.core.streams.ReadStream<Buffer> stream = body.stream();
            stream.handler(out::appendBuffer);
            stream.exceptionHandler(whole::tryFail);
            stream.endHandler(v -> whole.tryComplete(out));
            stream.resume();
            return whole.future();
        }

        private Future<ProxyResponse> sendTwiceIfClosed(ProxyContext context) {
            return read(context.request().getBody()).compose(body -> {
                context.request().setBody(Body.body(body));
                return context.sendRequest().recover(failure -> {
                    if (!(failure instanceof io.vertx.core.http.HttpClosedException)) {
                        return Future.failedFuture(failure);
                    }
                    LOG.infof("%s closed the connection under %s %s; sending it once more", service, context.request().getMethod(),
                            context.request().getURI().replaceAll("\\?.*", ""));
                    context.request().setBody(Body.body(body));
                    return context.sendRequest();
                });
            });
        }
    }
}
