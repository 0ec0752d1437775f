package io.throughline.calltracking.api;

import io.throughline.calltracking.store.CallQueries;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A call in the call log. The caller's phone is masked: the log is for marketing, the full number is in the CRM. */
public record CallView(String id, String integrationId, String externalId, String direction, String caller, String calledNumber, String siteKey,
        Instant startedAt, Instant answeredAt, Instant endedAt, String status, boolean completed, Integer durationSeconds, Integer talkSeconds,
        Integer waitSeconds, String recordingUrl, String agent, boolean processed, String matchKind, Double matchConfidence,
        List<Map<String, String>> alternates, String visitorId,
        String sessionId, String channel, Map<String, String> campaign, Map<String, String> clickIds, String landingPage, boolean target,
        boolean firstTime, boolean missed, boolean abandoned, boolean calledBack, boolean excluded, List<String> exclusionReasons) {

    static CallView of(CallQueries.Call c) {
        return new CallView(c.id().toString(), c.integrationId().toString(), c.externalId(), c.direction(), mask(c.callerE164(), c.callerRaw()),
                c.calledE164(), c.siteKey(), c.startedAt(), c.answeredAt(), c.endedAt(), c.status(), c.completed(), c.durationSeconds(),
                c.talkSeconds(), c.waitSeconds(), c.recordingUrl(), c.agent(), c.processed(), c.matchKind(), c.matchConfidence(),
                io.throughline.calltracking.store.Json.list(c.alternates()), c.visitorId(),
                c.sessionId(), c.channel(), c.campaign(), c.clickIds(), c.landingPage(), c.target(), c.firstTime(), c.missed(), c.abandoned(),
                c.calledBack(), c.excluded(), c.exclusionReasons());
    }

    /** "+79123456789" -> "+7912*****89"; withheld numbers as the PBX wrote them ("anonymous"). */
    static String mask(String e164, String raw) {
        if (e164 == null) {
            return raw == null || raw.matches(".*\\d{5,}.*") ? null : raw;
        }
        int keepStart = Math.min(5, e164.length());
        int keepEnd = Math.max(keepStart, e164.length() - 2);
        return e164.substring(0, keepStart) + "*".repeat(keepEnd - keepStart) + e164.substring(keepEnd);
    }
}
