package io.throughline.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * HTTP load from this JVM over loopback: closed loop (a fixed number of requests in flight, as fast as the server
 * answers) for throughput, open loop (requests sent on a fixed schedule) for latency, measured from the time a
 * request was due so that a slow server cannot hide its queueing (no coordinated omission).
 */
final class HttpLoad implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient client;
    private final String origin;
    private final String path;
    /** Requests of {@link #openLoop} that failed or were answered with a status of 300 or more, since this load began. */
    final AtomicLong errors = new AtomicLong();

    HttpLoad(int connections, String origin) {
        this(connections, origin, "/collect");
    }

    /** Load on a public endpoint that takes text/plain JSON bodies from pages on {@code origin}. */
    HttpLoad(int connections, String origin, String path) {
        this.origin = origin;
        this.path = path;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(connections));
    }

    /** Requests per second sustained with {@code inFlight} requests outstanding, over {@code seconds}. */
    double closedLoop(int port, Supplier<Buffer> bodies, int inFlight, double seconds) throws InterruptedException {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        CountDownLatch finished = new CountDownLatch(inFlight);
        long start = System.nanoTime();
        for (int i = 0; i < inFlight; i++) {
            next(port, bodies, end, done, failed, finished);
        }
        finished.await(60, TimeUnit.SECONDS);
        long elapsed = System.nanoTime() - start;
        if (failed.get() > 0) {
            System.out.println("    (" + failed.get() + " failed requests on :" + port + ")");
        }
        return done.get() * 1e9 / elapsed;
    }

    private void next(int port, Supplier<Buffer> bodies, long end, AtomicLong done, AtomicLong failed, CountDownLatch finished) {
        if (System.nanoTime() >= end) {
            finished.countDown();
            return;
        }
        send(port, bodies.get()).onComplete(r -> {
            if (r.succeeded() && r.result() < 300) {
                done.incrementAndGet();
            } else {
                failed.incrementAndGet();
            }
            next(port, bodies, end, done, failed, finished);
        });
    }

    /**
     * Latencies (microseconds) of requests sent at {@code rate} per second for {@code seconds}. The schedule is
     * kept in slots: whatever is due is dispatched at once, so the pacing thread's own sleeps do not skew it.
     */
    Histogram openLoop(int port, Supplier<Buffer> bodies, double rate, double seconds) throws InterruptedException {
        Histogram latencies = new Histogram(3); // auto-resizing: an overloaded server's minute-long waits are recorded too
        long count = (long) (rate * seconds);
        double interval = 1e9 / rate;
        CountDownLatch finished = new CountDownLatch((int) count);
        long start = System.nanoTime();
        long sent = 0;
        while (sent < count) {
            long due = Math.min(count, (long) ((System.nanoTime() - start) / interval) + 1);
            for (; sent < due; sent++) {
                long dueAt = start + (long) (sent * interval);
                Buffer body = bodies.get();
                vertx.runOnContext(v -> send(port, body).onComplete(r -> {
                    if (r.failed() || r.result() >= 300) {
                        errors.incrementAndGet();
                    }
                    synchronized (latencies) {
                        latencies.recordValue(Math.max(1, (System.nanoTime() - dueAt) / 1000));
                    }
                    finished.countDown();
                }));
            }
            TimeUnit.MICROSECONDS.sleep(200);
        }
        if (!finished.await(60, TimeUnit.SECONDS)) {
            errors.addAndGet(finished.getCount()); // unanswered a minute after the last was due
        }
        return latencies;
    }

    private io.vertx.core.Future<Integer> send(int port, Buffer body) {
        return client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI(path)
                        .putHeader("Content-Type", "text/plain;charset=UTF-8").putHeader("Origin", origin)
                        .putHeader("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"))
                .compose(request -> request.send(body)).compose(response -> response.body().map(b -> response.statusCode()));
    }

    @Override
    public void close() {
        client.close();
        vertx.close();
    }
}
