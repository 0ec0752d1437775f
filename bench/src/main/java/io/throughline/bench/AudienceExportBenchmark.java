package io.throughline.bench;

import io.throughline.devstack.Stack;
import io.throughline.devstack.StackSettings;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * A streamed export of an audience of 10^6 members on the real platform (devstack): attribution-service reads the
 * members from one snapshot, normalizes each contact by the platform's rule, hashes it (SHA-256) and streams CSV over
 * HTTP. Baseline: PostgreSQL's own {@code COPY (SELECT ...) TO STDOUT WITH CSV} of the same members' contacts over
 * JDBC, the least an export could do. Also printed: the plain (unhashed) Yandex export, to separate hashing from
 * streaming. Members are written straight into attribution's database (as an uploaded list would be).
 */
public final class AudienceExportBenchmark {

    private static final int ROUNDS = 3;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private AudienceExportBenchmark() {
    }

    public static void run(int members) throws Exception {
        StackSettings settings = BenchPlatform.settings();
        System.out.println("audiences: starting the platform (devstack) ...");
        try (Stack stack = new Stack(settings, new PrintStream(OutputStream.nullOutputStream()))) {
            stack.start();
            String api = "http://localhost:" + settings.httpPorts().get("attribution") + "/api/attribution/audiences";
            String token = BenchPlatform.token(settings, "acme-admin");
            String id = BenchPlatform.call(api, token, "POST", "{\"name\": \"bench " + UUID.randomUUID() + "\", \"kind\": \"uploaded\"}").path("id").asText();
            String url = "jdbc:postgresql://" + settings.pgHost() + ":" + settings.pgPort() + "/" + settings.database("attribution");
            try (Connection db = DriverManager.getConnection(url, settings.pgUser(), settings.pgPassword())) {
                long started = System.nanoTime();
                try (PreparedStatement s = db.prepareStatement("""
                        INSERT INTO audience_members (audience_id, member_key, emails, phones, version)
                        SELECT ?, 'c:e:user' || g || '@bench-mail.ru', ARRAY['user' || g || '@bench-mail.ru'],
                               ARRAY['+7916' || lpad(g::text, 7, '0')], 1 FROM generate_series(1, ?) g""")) {
                    s.setObject(1, UUID.fromString(id));
                    s.setInt(2, members);
                    s.executeUpdate();
                }
                try (PreparedStatement s = db.prepareStatement("UPDATE audiences SET version = 1, size = ? WHERE id = ?")) {
                    s.setInt(1, members);
                    s.setObject(2, UUID.fromString(id));
                    s.executeUpdate();
                }
                try (var s = db.createStatement()) {
                    s.execute("ANALYZE audience_members");
                }
                System.out.printf(Locale.ROOT, "audiences: %,d members written in %.1f s%n", members, (System.nanoTime() - started) / 1e9);
                double[] copy = new double[ROUNDS];
                double[] google = new double[ROUNDS];
                double[] plain = new double[ROUNDS];
                for (int r = 0; r < ROUNDS; r++) {
                    copy[r] = rowsPerSecond(() -> copy(db, id), members);
                    google[r] = rowsPerSecond(() -> export(api + "/" + id + "/export?platform=google", token), members);
                    plain[r] = rowsPerSecond(() -> export(api + "/" + id + "/export?platform=yandex&plain=true", token), members);
                }
                double base = median(copy);
                System.out.printf(Locale.ROOT, "%-44s baseline %,10.0f rows/s  candidate %,10.0f rows/s  ratio %.2f   (COPY TO STDOUT; median of %d)%n",
                        "audience export, google (SHA-256), 10^6", base, median(google), median(google) / base, ROUNDS);
                System.out.printf(Locale.ROOT, "%-44s baseline %,10.0f rows/s  candidate %,10.0f rows/s  ratio %.2f   (COPY TO STDOUT; median of %d)%n",
                        "audience export, yandex plain, 10^6", base, median(plain), median(plain) / base, ROUNDS);
            }
        }
    }

    private interface Rows {
        long run() throws Exception;
    }

    private static double rowsPerSecond(Rows rows, int expected) throws Exception {
        long t = System.nanoTime();
        long n = rows.run();
        double seconds = (System.nanoTime() - t) / 1e9;
        if (n < expected) {
            throw new IllegalStateException("expected " + expected + " rows, read " + n);
        }
        return n / seconds;
    }

    private static long copy(Connection db, String id) throws Exception {
        CountingStream out = new CountingStream();
        ((PGConnection) db.unwrap(PGConnection.class)).getCopyAPI().copyOut("COPY (SELECT emails[1], phones[1] FROM audience_members WHERE audience_id = '"
                + UUID.fromString(id) + "' ORDER BY member_key) TO STDOUT WITH CSV", out);
        return out.lines;
    }

    private static long export(String url, String token) throws Exception {
        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + ": " + response.statusCode() + " " + new String(response.body().readAllBytes()));
        }
        CountingStream out = new CountingStream();
        try (InputStream in = response.body()) {
            in.transferTo(out);
        }
        return out.lines - 1; // the header
    }

    /** Counts lines of what is written to it, keeping nothing. */
    private static final class CountingStream extends OutputStream {
        long lines;

        @Override
        public void write(int b) {
            if (b == '\n') {
                lines++;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    lines++;
                }
            }
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
