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

    /**
     * The answer as JSON, produced for every batch: its shape is fixed, so it is appended directly (strings
     * escaped by Jackson's encoder) instead of going through the object mapper.
     */
    byte[] toJson() {
        StringBuilder out = new StringBuilder(64 + events.size() * 72);
        out.append("{\"accepted\":").append(accepted).append(",\"duplicates\":").append(duplicates)
                .append(",\"rejected\":").append(rejected).append(",\"queued\":").append(queued).append(",\"events\":[");
        for (int i = 0; i < events.size(); i++) {
            EventResult e = events.get(i);
            out.append(i == 0 ? "{" : ",{");
            if (e.eventId() != null) {
                string(out, "event_id", e.eventId()).append(',');
            }
            string(out, "status", e.status());
            if (e.field() != null) {
                string(out.append(','), "field", e.field());
                string(out.append(','), "reason", e.reason());
            }
            out.append('}');
        }
        return out.append("]}").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static StringBuilder string(StringBuilder out, String name, String value) {
        out.append('"').append(name).append("\":\"");
        if (plain(value)) {
            out.append(value);
        } else {
            com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(value, out);
        }
        return out.append('"');
    }

    /** Event ids and statuses need no escaping; reasons may. */
    private static boolean plain(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
