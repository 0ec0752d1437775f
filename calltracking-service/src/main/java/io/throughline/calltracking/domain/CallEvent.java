package io.throughline.calltracking.domain;

import java.time.Instant;

/**
 * One telephony event about a call, whatever PBX sent it: a start, an answer, or the end with its status and
 * durations. Later events about the same call (same external id) update it; absent fields keep what was known.
 */
public record CallEvent(String externalId, Direction direction, String callerRaw, String calledRaw, Instant startedAt,
        Instant answeredAt, Instant endedAt, CallStatus status, boolean completed, Integer durationSeconds, Integer talkSeconds,
        Integer waitSeconds, String recordingUrl, String agent) {

    public enum Direction {
        INBOUND, OUTBOUND;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
