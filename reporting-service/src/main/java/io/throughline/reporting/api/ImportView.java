package io.throughline.reporting.api;

import io.throughline.reporting.domain.spend.SpendRejection;
import io.throughline.reporting.store.ImportStore;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "A spend import: its progress while it runs, its summary when done (rows read, inserted, replaced, removed, rejected with"
        + " the line and reason of each, the first 1000 listed)")
public record ImportView(String id, String format, String origin, String status, Progress progress, Summary summary, List<SpendRejection> rejections,
        String error, Instant createdAt, Instant finishedAt) {

    public record Progress(int rowsDone, int rowsTotal, BigDecimal percent) {
    }

    public record Summary(int rowsRead, int inserted, int replaced, int removed, int rejected) {
    }

    static ImportView of(ImportStore.Import i) {
        BigDecimal percent = i.rowsTotal() == 0 ? BigDecimal.valueOf(i.status().equals("running") ? 0 : 100)
                : BigDecimal.valueOf(i.rowsDone() * 100L).divide(BigDecimal.valueOf(i.rowsTotal()), 1, RoundingMode.DOWN);
        return new ImportView(i.id().toString(), i.format(), i.origin(), i.status(), new Progress(i.rowsDone(), i.rowsTotal(), percent),
                new Summary(i.rowsRead(), i.inserted(), i.replaced(), i.removed(), i.rejected()), i.rejections(), i.error(), i.createdAt(),
                i.finishedAt());
    }
}
