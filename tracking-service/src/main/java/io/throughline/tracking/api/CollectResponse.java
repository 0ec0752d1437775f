package io.throughline.tracking.api;

import io.throughline.tracking.domain.EventVerdict;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The collector's answer: counts, whether the batch waits in the spool, and a verdict per event in batch order. */
@Schema(description = "A verdict per event", example = """
        {"accepted": 2, "duplicates": 1, "rejected": 1, "queued": false,
         "events": [{"event_id": "0f8fad5b-d9cb-469f-a165-70867728950e", "status": "accepted"},
                    {"event_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "status": "accepted"},
                    {"event_id": "0f8fad5b-d9cb-469f-a165-70867728950e", "status": "duplicate"},
                    {"event_id": "16fd2706-8baf-433b-82eb-8c7fada847da", "status": "rejected", "field": "events[3].url",
                     "reason": "is required for a page view"}]}""")
public record CollectResponse(int accepted, int duplicates, int rejected, boolean queued, List<EventResult> events) {

    public record EventResult(String eventId, String status, String field, String reason) {
        static EventResult of(EventVerdict v) {
            return new EventResult(v.eventId(), v.status().code(), v.field(), v.reason());
        }
    }

    static CollectResponse of(List<EventVerdict> verdicts, boolean queued) {
        int accepted = 0;
        int duplicates = 0;
        int rejected = 0;
        for (EventVerdict v : verdicts) {
            switch (v.status()) {
                case ACCEPTED -> accepted++;
                case DUPLICATE -> duplicates++;
                case REJECTED -> rejected++;
            }
        }
        return new CollectResponse(accepted, duplicates, rejected, queued, verdicts.stream().map(EventResult::of).toList());
    }
}
