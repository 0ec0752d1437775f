package io.throughline.testkit;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Web pages of test "sites" served from loopback: one server answers for every host name (school.test,
 * pay.test, ...) and picks the page by host and path, as a browser test with {@link Browser} needs.
 */
public final class TestSites implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, Function<String, String>> pages = new ConcurrentHashMap<>();

    public TestSites() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String host = exchange.getRequestHeaders().getFirst("Host");
            host = host == null ? "" : host.replaceFirst(":\\d+$", "");
            Function<String, String> site = pages.get(host);
            String html = site == null ? null : site.apply(exchange.getRequestURI().getPath());
            byte[] body = (html == null ? "not found" : html).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", html == null ? "text/plain" : "text/html; charset=utf-8");
            exchange.sendResponseHeaders(html == null ? 404 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** Serves pages for a host: path -> HTML (null for 404). */
    public TestSites site(String host, Function<String, String> pagesByPath) {
        pages.put(host, pagesByPath);
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The address of a path on a test host, e.g. url("school.test", "/landing?utm_source=yandex"). */
    public String url(String host, String pathAndQuery) {
        return "http://" + host + ":" + port() + pathAndQuery;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
