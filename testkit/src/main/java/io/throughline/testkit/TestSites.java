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
    private final Map<String, Proxy> proxies = new ConcurrentHashMap<>();
    private final java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();

    /** A host that forwards to another server; {@code refuse} decides per request whether to answer 503 instead. */
    private record Proxy(String target, java.util.function.Predicate<String> refuse, java.util.List<String> refusedBodies) {
    }

    public TestSites() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String host = exchange.getRequestHeaders().getFirst("Host");
            host = host == null ? "" : host.replaceFirst(":\\d+$", "");
            Proxy proxy = proxies.get(host);
            if (proxy != null) {
                forward(exchange, proxy);
                return;
            }
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

    /**
     * Serves a host by forwarding to {@code target} (e.g. the collector), except that requests for which
     * {@code refuse} says so are answered 503 with Retry-After: 1 (their bodies are kept in {@code refusedBodies}).
     */
    public TestSites proxy(String host, String target, java.util.function.Predicate<String> refuse, java.util.List<String> refusedBodies) {
        proxies.put(host, new Proxy(target.replaceAll("/$", ""), refuse, refusedBodies));
        return this;
    }

    private void forward(com.sun.net.httpserver.HttpExchange exchange, Proxy proxy) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().toString();
        if (proxy.refuse().test(exchange.getRequestMethod() + " " + path)) {
            proxy.refusedBodies().add(new String(body, StandardCharsets.UTF_8));
            cors(exchange);
            exchange.getResponseHeaders().set("Retry-After", "1");
            exchange.getResponseHeaders().set("Access-Control-Expose-Headers", "Retry-After");
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
            return;
        }
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(proxy.target() + path))
                .method(exchange.getRequestMethod(), body.length == 0 ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
        for (String header : new String[] {"Content-Type", "Origin", "User-Agent", "Accept-Encoding", "If-None-Match"}) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        try {
            java.net.http.HttpResponse<byte[]> response = client.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            response.headers().map().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("content-length") && !name.equalsIgnoreCase("transfer-encoding") && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] out = response.body();
            exchange.sendResponseHeaders(response.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream stream = exchange.getResponseBody()) {
                    stream.write(out);
                }
            }
            exchange.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(502, -1);
            exchange.close();
        }
    }

    private static void cors(com.sun.net.httpserver.HttpExchange exchange) {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin != null) {
            exchange.getResponseHeaders().set("Access-Control-Allow-Origin", origin);
        }
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
