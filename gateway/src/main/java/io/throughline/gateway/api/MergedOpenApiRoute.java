package io.throughline.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.throughline.gateway.domain.OpenApiMerger;
import io.throughline.gateway.domain.RouteTable;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/** GET /openapi: the services' OpenAPI documents merged into one; Swagger UI at /q/swagger-ui shows it. */
@ApplicationScoped
public class MergedOpenApiRoute {

    private static final Logger LOG = Logger.getLogger(MergedOpenApiRoute.class);
    private static final long CACHE_MILLIS = 30_000;

    private final UpstreamProxies upstreams;
    private final ObjectMapper mapper;
    private volatile String cached;
    private volatile long cachedAt;

    public MergedOpenApiRoute(UpstreamProxies upstreams, ObjectMapper mapper) {
        this.upstreams = upstreams;
        this.mapper = mapper;
    }

    void register(@Observes Router router) {
        router.get("/openapi").handler(this::serve);
    }

    private void serve(RoutingContext rc) {
        String body = cached;
        if (body != null && System.currentTimeMillis() - cachedAt < CACHE_MILLIS) {
            rc.response().putHeader("Content-Type", "application/json").end(body);
            return;
        }
        Map<String, JsonNode> docs = new HashMap<>();
        List<Future<?>> fetches = new ArrayList<>();
        for (String service : upstreams.services()) {
            if (RouteTable.LISTENERS_ONLY.contains(service)) {
                continue;
            }
            fetches.add(fetch(service).onSuccess(doc -> docs.put(service, doc)).otherwise(e -> {
                LOG.warnf("OpenAPI of %s unavailable: %s", service, e.getMessage());
                docs.put(service, null);
                return null;
            }));
        }
        Future.join(fetches).onComplete(done -> {
            String merged = OpenApiMerger.merge("Throughline API", "v1", docs).toString();
            if (!docs.containsValue(null)) {
                cached = merged;
                cachedAt = System.currentTimeMillis();
            }
            rc.response().putHeader("Content-Type", "application/json").end(merged);
        });
    }

    private Future<JsonNode> fetch(String service) {
        URI origin = upstreams.origin(service);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(origin.getHost())
                .setPort(origin.getPort()).setURI("/q/openapi?format=json").setTimeout(3000);
        return upstreams.client().request(options).compose(req -> req.send()).compose(resp -> resp.body()).map(buffer -> {
            try {
                return mapper.readTree(buffer.getBytes());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("not JSON", e);
            }
        });
    }
}
