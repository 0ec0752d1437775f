package io.throughline.attribution.api;

import io.throughline.attribution.store.Runs;
import java.time.Instant;
import java.util.Map;

/** An attribution run: what it attributed (model, parameters, journeys, cut-off), how far it got, and its totals. */
public record RunView(String id, String series, int version, String baseRunId, String trigger, ModelChoice model, String conversionEvent,
        int lookbackDays, boolean resetAfterConversion, Instant cutoff, String status, Progress progress, int dealsRecomputed, int dealsCopied,
        Double conversions, Map<String, Object> explanation, String error, Instant createdAt, Instant finishedAt) {

    /** Persons whose journeys are done out of those the run recomputes. */
    public record Progress(int personsTotal, int personsDone, double percent) {
    }

    static RunView of(Runs.Run r) {
        double percent = "done".equals(r.status()) ? 100 : r.personsTotal() == 0 ? 0 : Math.floor(1000.0 * r.personsDone() / r.personsTotal()) / 10;
        return new RunView(r.id().toString(), r.series(), r.version(), r.baseRunId() == null ? null : r.baseRunId().toString(), r.trigger(),
                ModelChoice.of(r.spec()), r.journeys().conversionEvent(), r.journeys().lookbackDays(), r.journeys().resetAfterConversion(), r.cutoff(),
                r.status(), new Progress(r.personsTotal(), r.personsDone(), percent), r.dealsRecomputed(), r.dealsCopied(), r.conversions(),
                r.explanation(), r.error(), r.createdAt(), r.finishedAt());
    }
}
