package io.throughline.gateway.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** RFC 9457 bodies for what the gateway itself refuses, in the same shape the services use. */
final class Problems {

    private Problems() {
    }

    static void send(RoutingContext rc, int status, String slug, String title, String detail) {
        if (rc.response().ended() || rc.response().headWritten()) {
            return;
        }
        JsonObject body = json(status, slug, title, detail).put("instance", rc.normalizedPath());
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json").end(body.encode());
    }

    static JsonObject json(int status, String slug, String title, String detail) {
        return new JsonObject().put("type", "https://throughline.io/problems/" + slug).put("title", title)
                .put("status", status).put("detail", detail);
    }
}
