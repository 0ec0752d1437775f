package io.throughline.calltracking.api;

import io.throughline.calltracking.domain.PoolSizing;
import io.throughline.calltracking.domain.PoolUtilization;
import io.throughline.calltracking.store.Numbers;
import io.throughline.calltracking.store.PoolReports;
import io.throughline.calltracking.store.PoolSettings;
import io.throughline.commons.api.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/** Builds a pool's utilization report from its reservation history. */
@ApplicationScoped
public class PoolReportService {

    private static final Map<String, Duration> BUCKETS = Map.of("minute", Duration.ofMinutes(1), "hour", Duration.ofHours(1), "day",
            Duration.ofDays(1));
    private static final int MAX_BUCKETS = 2000;

    private final PoolReports reports;
    private final Numbers numbers;

    public PoolReportService(PoolReports reports, Numbers numbers) {
        this.reports = reports;
        this.numbers = numbers;
    }

    public PoolReport report(PoolSettings.Pool pool, String fromText, String toText, String bucketText) {
        String bucket = bucketText == null ? "hour" : bucketText;
        Duration step = BUCKETS.get(bucket);
        if (step == null) {
            throw ProblemException.invalidField("bucket", "must be minute, hour or day");
        }
        Instant to = fromText == null && toText == null ? Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1)) : time("to", toText);
        Instant from = fromText == null ? to.minus(Duration.ofDays(1)) : time("from", fromText);
        if (!from.isBefore(to)) {
            throw ProblemException.invalidField("to", "must be after from");
        }
        if (Duration.between(from, to).dividedBy(step) > MAX_BUCKETS) {
            throw ProblemException.invalidField("bucket", "gives more than " + MAX_BUCKETS + " buckets for this range; use a larger bucket");
        }
        List<PoolUtilization.Window> windows = reports.windows(pool.id(), from, to);
        if (windows.size() > PoolReports.MAX_WINDOWS) {
            throw ProblemException.invalidField("from", "the range holds more than " + PoolReports.MAX_WINDOWS + " visits; narrow it");
        }
        int size = numbers.countActive(pool.id());
        List<PoolReport.Row> rows = PoolUtilization.buckets(windows, from, to, step).stream()
                .map(b -> new PoolReport.Row(b.from(), b.peakHeld(), size == 0 ? 0 : Math.round(1000.0 * b.peakHeld() / size) / 1000.0, b.visits(),
                        b.overflows()))
                .toList();
        int visits = rows.stream().mapToInt(PoolReport.Row::visits).sum();
        int overflows = rows.stream().mapToInt(PoolReport.Row::overflows).sum();
        PoolReports.Demand demand = reports.demand(pool.id(), from, to);
        double minutes = Math.round(demand.averageSessionMinutes() * 100) / 100.0;
        return new PoolReport(pool.id().toString(), from, to, bucket, size, pool.holdSeconds(), rows, visits, overflows,
                visits == 0 ? 0 : Math.round(1000.0 * overflows / visits) / 1000.0, demand.peakNewPerMinute(), minutes,
                PoolSizing.recommended(demand.peakNewPerMinute(), minutes, pool.holdSeconds() / 60.0));
    }

    private static Instant time(String field, String value) {
        if (value == null) {
            throw ProblemException.invalidField(field, "is required when the other end of the range is given");
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(field, "must be an RFC 3339 time such as 2026-11-01T00:00:00Z");
        }
    }
}
