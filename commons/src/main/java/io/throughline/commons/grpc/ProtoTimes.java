package io.throughline.commons.grpc;

import com.google.protobuf.Timestamp;
import io.throughline.contracts.common.v1.TimeRange;
import java.time.Instant;

/** protobuf timestamps and time ranges as {@link Instant}s, to the nanosecond. */
public final class ProtoTimes {

    private ProtoTimes() {
    }

    public static Timestamp timestamp(Instant at) {
        return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
    }

    public static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    /** [from, to) as a range. */
    public static TimeRange range(Instant from, Instant to) {
        return TimeRange.newBuilder().setFrom(timestamp(from)).setTo(timestamp(to)).build();
    }

    /** The range's start, or null when it has none. */
    public static Instant from(TimeRange range) {
        return range.hasFrom() ? instant(range.getFrom()) : null;
    }

    /** The range's end, or null when it has none. */
    public static Instant to(TimeRange range) {
        return range.hasTo() ? instant(range.getTo()) : null;
    }
}
