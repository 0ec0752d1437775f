package io.throughline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.throughline.devstack.Stack;
import io.throughline.devstack.StackSettings;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;

/**
 * The money reports over a year of a busy workspace, on the real platform (devstack): reporting's aggregates hold what
 * about 10^7 touchpoints and 10^6 paid deals come to (3,000 keywords in 240 campaigns of 12 channels, every keyword
 * with spend, sessions, leads, deals and credits every day: about 1.1 million rows in each of ad_spend, traffic_daily,
 * lead_daily, deal_daily and credit_totals, plus a year of cohorts). Candidate: GET of the channel, campaign and keyword
 * reports from reporting-service over HTTP (period and parameter checks, six aggregate reads, overhead allocation,
 * currency conversion, every ratio, cohorts for LTV and payback, JSON). Baseline: the least a report could do, one
 * {@code SELECT ... GROUP BY} of the same period's credit totals over JDBC. Alternating rounds, medians of each
 * round's median latency. The aggregates are written straight into reporting's database with their months marked
 * stale (as the service's writers do) and the service's compactor fills the monthly twins; its traffic recount is off
 * (it would replace the sessions written here). How fast the feeds fill the daily tables is not measured here.
 */
public final class ReportsBenchmark {

    private static final int ROUNDS = 5;
    private static final int PER_ROUND = 5;
    private static final String PERIOD = "from=2026-01-01&to=2026-12-31";

    private ReportsBenchmark() {
    }

    public static void run(int keywords) throws Exception {
        // Feeds and compaction every second; no traffic recount (it would replace the sessions written here), no pulls.
        System.setProperty("throughline.stack.reporting.throughline.reporting.sync-interval", "1s");
        System.setProperty("throughline.stack.reporting.throughline.reporting.traffic-interval", "off");
        System.setProperty("throughline.stack.reporting.throughline.reporting.connectors.interval", "off");
        System.setProperty("throughline.stack.reporting.throughline.reporting.cbr.interval", "off");
        StackSettings settings = BenchPlatform.settings();
        System.out.println("reports: starting the platform (devstack) ...");
        try (Stack stack = new Stack(settings, new PrintStream(OutputStream.nullOutputStream()))) {
            stack.start();
            String url = "jdbc:postgresql://" + settings.pgHost() + ":" + settings.pgPort() + "/" + settings.database("reporting");
            try (Connection db = DriverManager.getConnection(url, settings.pgUser(), settings.pgPassword())) {
                long started = System.nanoTime();
                long rows = load(db, keywords);
                System.out.printf(Locale.ROOT, "reports: %,d aggregate rows written in %.1f s%n", rows, (System.nanoTime() - started) / 1e9);
                started = System.nanoTime();
                long stale = waitForTwins(db);
                System.out.printf(Locale.ROOT, "reports: %d stale months recomputed into their monthly twins by the service in %.1f s%n", stale,
                        (System.nanoTime() - started) / 1e9);
                String api = "http://localhost:" + settings.httpPorts().get("reporting") + "/api/reporting/reports/";
                String token = BenchPlatform.token(settings, "acme-analyst");
                String only = System.getProperty("bench.reports.only", "channels,campaigns,keywords");
                if (only.contains("channels")) {
                    measure("channels report (12 rows)", () -> report(api + "channels?" + PERIOD, token, 12), () -> groupBy(db, "channel", 12));
                }
                if (only.contains("campaigns")) {
                    measure("campaigns report (240 rows)", () -> report(api + "campaigns?" + PERIOD + "&group_by=campaign&limit=500", token, 240),
                            () -> groupBy(db, "campaign", 240));
                }
                if (only.contains("keywords")) {
                    measure("keywords report (first 100 of " + keywords + ")",
                            () -> report(api + "keywords?" + PERIOD + "&group_by=keyword&limit=100", token, 100), () -> groupBy(db, "keyword", keywords));
                }
            }
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void measure(String name, Call candidate, Call baseline) throws Exception {
        candidate.run();
        baseline.run();
        double[] cand = new double[ROUNDS];
        double[] base = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            if (r % 2 == 0) {
                base[r] = medianMillis(baseline);
                cand[r] = medianMillis(candidate);
            } else {
                cand[r] = medianMillis(candidate);
                base[r] = medianMillis(baseline);
            }
        }
        double b = median(base);
        double c = median(cand);
        System.out.printf(Locale.ROOT, "%-44s baseline %8.1f ms  candidate %8.1f ms  ratio %.2f   (GROUP BY of credit_totals; median of %d rounds)%n",
                name, b, c, c / b, ROUNDS);
    }

    private static double medianMillis(Call call) throws Exception {
        double[] ms = new double[PER_ROUND];
        for (int i = 0; i < PER_ROUND; i++) {
            long t = System.nanoTime();
            call.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        return median(ms);
    }

    private static void report(String url, String token, int expectedRows) throws Exception {
        HttpResponse<String> response = BenchPlatform.send(url, token, "GET", null);
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + ": " + response.statusCode() + " " + response.body());
        }
        JsonNode body = BenchPlatform.JSON.readTree(response.body());
        if (body.path("items").size() != expectedRows || body.path("totals").path("revenue").isMissingNode()) {
            throw new IllegalStateException(url + ": " + body.path("items").size() + " rows, expected " + expectedRows);
        }
    }

    private static void groupBy(Connection db, String key, int expectedRows) throws Exception {
        try (PreparedStatement q = db.prepareStatement("SELECT " + key + ", sum(conversions), sum(revenue_minor), sum(gross_profit_minor), sum(paid_deals)"
                + " FROM credit_totals WHERE tenant_id = 'acme' AND series = 'linear' AND day BETWEEN DATE '2026-01-01' AND DATE '2026-12-31'"
                + " GROUP BY " + key)) {
            int rows = 0;
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rows++;
                }
            }
            if (rows != expectedRows) {
                throw new IllegalStateException("GROUP BY " + key + ": " + rows + " rows");
            }
        }
    }

    /** Waits until reporting-service has recomputed every stale month; how many there were. */
    private static long waitForTwins(Connection db) throws Exception {
        long first = -1;
        for (int i = 0; i < 6000; i++) {
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM month_twins_stale")) {
                rs.next();
                long left = rs.getLong(1);
                first = first < 0 ? left : first;
                if (left == 0) {
                    return first;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the monthly twins were not recomputed within 10 minutes");
    }

    /** A year of aggregates for workspace acme (every month marked stale, as the service's writers do); the number of rows written. */
    private static long load(Connection db, int keywords) throws Exception {
        String keys = "FROM generate_series(0, " + (keywords - 1) + ") k, generate_series(DATE '2026-01-01', DATE '2026-12-31', interval '1 day') d";
        String channel = "'channel' || (k % 12)";
        String source = "'source' || (k % 12)";
        String campaign = "'campaign' || (k % 240)";
        String keyword = "'keyword' || k";
        String[] statements = {
            "INSERT INTO series_state VALUES ('acme', 'linear', 'linear', 1, gen_random_uuid(), true, now(), 'payment', 1, now())",
            "INSERT INTO ad_spend SELECT 'acme', d, 'yandex_direct', 'a1', 'c' || (k % 240), 'g' || (k % 720), " + keyword + ", " + campaign + ", "
                    + campaign + ", " + source + ", 'cpc', " + channel + ", 900 + k % 100, 30 + k % 7, 150000 + (k % 50) * 1000, 'RUB', 2, NULL, now() " + keys,
            "INSERT INTO traffic_daily SELECT 'acme', d, 'pk_bench', " + channel + ", " + source + ", 'cpc', " + campaign + ", " + keyword
                    + ", 25 + k % 9, 2 " + keys,
            "INSERT INTO lead_daily SELECT 'acme', d, DATE '0001-01-01', 'pk_bench', " + channel + ", " + source + ", 'cpc', " + campaign + ", "
                    + keyword + ", 3, 1, 0, 2, 2 " + keys,
            "INSERT INTO deal_daily SELECT 'acme', d, " + channel + ", " + source + ", 'cpc', " + campaign + ", " + keyword
                    + ", 'RUB', 1, 1, 0, 1, 0, 0, 500000 " + keys,
            "INSERT INTO credit_totals SELECT 'acme', 'linear', d, " + channel + ", " + source + ", 'cpc', " + campaign + ", " + keyword
                    + ", 'RUB', 0.9, 450000.5, 180000.25, 0.9, 0.7 " + keys,
            "INSERT INTO cohort_revenue SELECT 'acme', date_trunc('month', d)::date, " + channel + ", " + source + ", 'cpc', " + campaign + ", "
                    + keyword + ", (date_trunc('month', d) + o * interval '1 month')::date, 'RUB', 400000, 160000, 1"
                    + " FROM generate_series(0, " + (keywords - 1) + ") k, generate_series(DATE '2026-01-01', DATE '2026-12-01', interval '1 month') d,"
                    + " generate_series(0, 11) o WHERE date_trunc('month', d) + o * interval '1 month' <= DATE '2026-12-01'",
            "INSERT INTO cohort_people SELECT 'acme', d::date, " + channel + ", " + source + ", 'cpc', " + campaign + ", " + keyword + ", o, 10, 1"
                    + " FROM generate_series(0, " + (keywords - 1) + ") k, generate_series(DATE '2026-01-01', DATE '2026-12-01', interval '1 month') d,"
                    + " generate_series(0, 11) o WHERE d + o * interval '1 month' <= DATE '2026-12-01'",
        };
        long rows = 0;
        try (Statement sql = db.createStatement()) {
            for (String statement : statements) {
                rows += sql.executeUpdate(statement);
            }
            for (String daily : new String[] {"ad_spend", "traffic_daily", "lead_daily", "deal_daily", "credit_totals"}) {
                sql.execute("INSERT INTO month_twins_stale SELECT DISTINCT '" + daily + "', tenant_id, month, now() FROM " + daily);
            }
            sql.execute("ANALYZE");
        }
        return rows;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
