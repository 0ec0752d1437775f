package io.throughline.tracking.api;

import io.throughline.commons.api.RequestIds;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

/**
 * GET /t.js: the snippet, with whole-line comments and indentation stripped, pre-compressed once, cached by
 * browsers for an hour and revalidated by ETag.
 */
@Singleton
public class SnippetRoute {

    private final Buffer plain;
    private final Buffer gzipped;
    private final String etag;

    public SnippetRoute() {
        byte[] script = compact(source()).getBytes(StandardCharsets.UTF_8);
        this.plain = Buffer.buffer(script);
        this.gzipped = Buffer.buffer(gzip(script));
        this.etag = "\"" + sha256(script).substring(0, 16) + "\"";
    }

    void register(@Observes Router router) {
        router.route("/t.js").order(-5).handler(rc -> serve(rc.request()));
    }

    /** The script as served to browsers that accept gzip (what counts against the 6 KB budget). */
    public byte[] gzippedScript() {
        return gzipped.getBytes();
    }

    /** One request for the snippet. */
    public void serve(HttpServerRequest request) {
        var response = request.response();
        String requestId = request.getHeader(RequestIds.HEADER);
        if (requestId != null) {
            response.putHeader(RequestIds.HEADER, RequestIds.accept(requestId));
        }
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            response.setStatusCode(405).putHeader(HttpHeaders.ALLOW, "GET, HEAD").end();
            return;
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/javascript; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=3600")
                .putHeader(HttpHeaders.ETAG, etag)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader(HttpHeaders.VARY, "Accept-Encoding");
        if (etag.equals(request.getHeader(HttpHeaders.IF_NONE_MATCH))) {
            response.setStatusCode(304).end();
            return;
        }
        String accept = request.getHeader(HttpHeaders.ACCEPT_ENCODING);
        boolean gzip = accept != null && accept.contains("gzip");
        if (gzip) {
            response.putHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
        }
        Buffer body = gzip ? gzipped : plain;
        if (request.method() == HttpMethod.HEAD) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length())).end();
        } else {
            response.end(body);
        }
    }

    /** Drops whole-line comments, indentation and blank lines: the source keeps its comments, browsers do not get them. */
    static String compact(String source) {
        return source.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("//"))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static String source() {
        try (InputStream in = SnippetRoute.class.getResourceAsStream("/tracking/t.js")) {
            if (in == null) {
                throw new IllegalStateException("tracking/t.js is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out) { { def.setLevel(9); } }) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
