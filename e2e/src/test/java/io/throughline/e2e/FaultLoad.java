package io.throughline.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Load on public endpoints for the fault tests, offered at a fixed rate as browsers, CRMs and PBXs do (they send at their own
 * pace, not at the platform's): each stream's workers send one request per slot of their schedule, each request a unit of work
 * (a batch of events, a deal, a call) with its own id. A worker never sends two at once; a slot missed because an answer came
 * late is dropped, not made up later in a burst. A unit is acknowledged when the endpoint answers 2xx; otherwise it is sent
 * again, unchanged, until it is (what a snippet's queue, a CRM's or a PBX's retry does). Every answer is recorded with its
 * latency, so a test can tell 503s with Retry-After from hangs, and whether the platform keeps up with what is offered.
 */
final class FaultLoad implements AutoCloseable {

    /** One request as the test sees it: when it was answered (ms since the load began), its status, latency and Retry-After. */
    record Answer(String stream, long at, int status, long millis, String retryAfter) {
    }

    /** What a stream sends: the request for a unit's id (acknowledged on a 2xx answer), {@code perSecond} by each worker. */
    record Stream(String name, int workers, int perSecond, Function<String, HttpRequest> request) {
    }

    static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final long start = System.nanoTime();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService pool;
    final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
    /** Acknowledged unit ids per stream. */
    final Map<String, Set<String>> acknowledged = new ConcurrentHashMap<>();
    private final AtomicLong serial = new AtomicLong();
    /** Units per second each stream offers. */
    private final Map<String, Integer> offered = new ConcurrentHashMap<>();

    FaultLoad(List<Stream> streams) {
        pool = Executors.newFixedThreadPool(streams.stream().mapToInt(Stream::workers).sum());
        for (Stream s : streams) {
            acknowledged.put(s.name(), ConcurrentHashMap.newKeySet());
            offered.put(s.name(), s.workers() * s.perSecond());
            for (int w = 0; w < s.workers(); w++) {
                long offset = 1_000_000_000L / s.perSecond() * w / s.workers();
                pool.submit(() -> work(s, offset));
            }
        }
    }

    private void work(Stream s, long offsetNanos) {
        long period = 1_000_000_000L / s.perSecond();
        long slot = System.nanoTime() + offsetNanos;
        sleepUntil(slot);
        String unit = null;
        while (running.get() || unit != null) {
            if (unit == null) {
                unit = s.name() + "-" + serial.incrementAndGet();
            }
            long sent = System.nanoTime();
            int status;
            String retryAfter = null;
            try {
                HttpResponse<Void> r = http.send(s.request().apply(unit), HttpResponse.BodyHandlers.discarding());
                status = r.statusCode();
                retryAfter = r.headers().firstValue("Retry-After").orElse(null);
            } catch (HttpTimeoutException e) {
                status = -1; // no answer within the timeout: a hang
            } catch (java.io.IOException e) {
                status = 0; // refused or reset: the request did not reach a server that could answer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = System.nanoTime();
            answers.add(new Answer(s.name(), (now - start) / 1_000_000, status, (now - sent) / 1_000_000, retryAfter));
            if (status >= 200 && status < 300) {
                acknowledged.get(s.name()).add(unit);
                unit = null;
                slot = Math.max(slot + period, System.nanoTime());
                sleepUntil(slot);
            } else {
                sleep(status == 503 || status == 429 ? 300 : 100);
            }
        }
    }

    /** Milliseconds since the load began. */
    long now() {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** 2xx answers of a stream per second in [from, to) (ms since the load began). */
    double rate(String stream, long from, long to) {
        long n = answers.stream().filter(a -> a.stream().equals(stream) && a.at() >= from && a.at() < to && a.status() >= 200 && a.status() < 300).count();
        return n * 1000.0 / Math.max(1, to - from);
    }

    /**
     * Waits until every stream was answered with 2xx at {@code share} of its offered rate over the last 2 s (or {@code limit}
     * passed); answers the milliseconds since the load began.
     */
    long keepUp(double share, Duration limit) {
        return keepUp(share, Duration.ofSeconds(2), limit);
    }

    /** The same over the last {@code window}: the window [answer - window, answer) kept up, unless {@code limit} passed first. */
    long keepUp(double share, Duration window, Duration limit) {
        long deadline = now() + limit.toMillis();
        long w = window.toMillis();
        while (now() < deadline) {
            long t = now();
            if (t >= w && offered.entrySet().stream().allMatch(e -> rate(e.getKey(), t - w, t) >= share * e.getValue())) {
                return t;
            }
            sleep(250);
        }
        return now();
    }

    /** The latency (ms) at quantile {@code q} of a stream's 2xx answers in [from, to), or -1 without any. */
    long latency(String stream, long from, long to, double q) {
        long[] ms = answers.stream().filter(a -> a.stream().equals(stream) && a.at() >= from && a.at() < to && a.status() >= 200 && a.status() < 300)
                .mapToLong(Answer::millis).sorted().toArray();
        return ms.length == 0 ? -1 : ms[(int) Math.min(ms.length - 1, Math.floor(q * ms.length))];
    }

    List<Answer> between(long from, long to) {
        return answers.stream().filter(a -> a.at() >= from && a.at() < to).toList();
    }

    static HttpRequest post(String url, Map<String, String> headers, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(b::header);
        return b.build();
    }

    private static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    private static void sleep(long millis, int nanos) {
        try {
            Thread.sleep(millis, nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops sending new units, lets every worker finish (acknowledge) the unit it holds, within {@code limit}. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        pool.shutdown();
        if (!pool.awaitTermination(120, TimeUnit.SECONDS)) {
            pool.shutdownNow();
            throw new AssertionError("units still unacknowledged 120 s after the load stopped");
        }
    }

    /** Answers of a window that broke the rules: not 2xx and not a 503 with Retry-After answered within a second. */
    static List<Answer> misbehaving(List<Answer> answers) {
        List<Answer> bad = new ArrayList<>();
        for (Answer a : answers) {
            boolean ok = (a.status() >= 200 && a.status() < 300) || (a.status() == 503 && a.retryAfter() != null && a.millis() <= 1000);
            if (!ok) {
                bad.add(a);
            }
        }
        return bad;
    }
}
