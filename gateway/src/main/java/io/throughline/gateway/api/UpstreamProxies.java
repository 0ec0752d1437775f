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

/** One streaming reverse proxy per service (Vert.x HTTP proxy): bodies are piped, never buffered. */
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

    /** A service that does not answer becomes a 503 problem with Retry-After, not a bare 502. */
    private static final class DependencyDownAsProblem implements ProxyInterceptor {

        private final String service;

        DependencyDownAsProblem(String service) {
            this.service = service;
        }

        @Override
        public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
            MultiMap headers = context.request().headers();
            headers.remove("Forwarded");
            return context.sendRequest().recover(failure -> {
                LOG.warnf("%s did not answer: %s", service, failure.getMessage());
                ProxyResponse response = context.request().response().setStatusCode(503).setStatusMessage("Service Unavailable");
                response.headers().set("Content-Type", "application/problem+json").set("Retry-After", "5");
                response.setBody(Body.body(Buffer.buffer(Problems.json(503, "dependency-unavailable", "Dependency unavailable",
                        service + "-service is not answering; retry later").encode())));
                return Future.succeededFuture(response);
            });
        }
    }
}
