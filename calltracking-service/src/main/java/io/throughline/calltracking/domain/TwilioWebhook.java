package io.throughline.calltracking.domain;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Twilio-compatible voice callbacks (also Telnyx TeXML, SignalWire, Kazoo Pivot): form-encoded, signed with
 * {@code X-Twilio-Signature} over the full public URL and the sorted parameters. Answered-ness follows the Dial
 * verb's {@code DialCallStatus} when present: the inbound leg is "completed" even when nobody answered.
 */
public final class TwilioWebhook {

    /** Parameters some integrators leave out of the signature (Twilio added them later). */
    private static final Set<String> LATE_PARAMETERS = Set.of("StirVerstat", "CallToken");
    private static final Set<String> FINAL = Set.of("completed", "busy", "no-answer", "canceled", "failed");

    private TwilioWebhook() {
    }

    public static WebhookResult read(String publicUrl, Map<String, String> params, String signature, String authToken, Instant now) {
        SortedMap<String, String> sorted = new TreeMap<>(params);
        boolean valid = Signatures.same(Signatures.twilio(authToken, publicUrl, sorted), signature);
        if (!valid) {
            SortedMap<String, String> withoutLate = new TreeMap<>(sorted);
            LATE_PARAMETERS.forEach(withoutLate::remove);
            valid = withoutLate.size() != sorted.size() && Signatures.same(Signatures.twilio(authToken, publicUrl, withoutLate), signature);
        }
        if (!valid) {
            return WebhookResult.refused(WebhookProblem.unauthorized("X-Twilio-Signature", "does not match this URL and parameters signed with the auth token"));
        }
        String callSid = params.get("CallSid");
        if (callSid == null || callSid.isBlank() || callSid.length() > 100) {
            return WebhookResult.refused(WebhookProblem.invalid("CallSid", "is required"));
        }
        String to = params.get("To");
        if (to == null || to.isBlank()) {
            return WebhookResult.refused(WebhookProblem.invalid("To", "is required"));
        }
        String callStatus = params.get("CallStatus");
        if (callStatus == null) {
            return WebhookResult.refused(WebhookProblem.invalid("CallStatus", "is required"));
        }
        String direction = params.getOrDefault("Direction", "inbound");
        Instant at = now;
        if (params.get("Timestamp") != null) {
            try {
                at = ZonedDateTime.parse(params.get("Timestamp"), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                return WebhookResult.refused(WebhookProblem.invalid("Timestamp", "must be an RFC 1123 date"));
            }
            if (at.isAfter(now.plus(GenericWebhook.REPLAY_WINDOW))) {
                return WebhookResult.refused(WebhookProblem.invalid("Timestamp", "is in the future"));
            }
        }
        boolean completed = FINAL.contains(callStatus) || params.get("DialCallStatus") != null;
        CallStatus status = completed ? CallStatus.fromTwilio(callStatus, params.get("DialCallStatus")) : null;
        if (completed && status == null) {
            return WebhookResult.refused(WebhookProblem.invalid("CallStatus", "is not a Twilio call status"));
        }
        Integer duration = seconds(params.get("CallDuration"));
        Integer talk = status == CallStatus.ANSWERED ? seconds(params.getOrDefault("DialCallDuration", params.get("CallDuration"))) : Integer.valueOf(0);
        Instant startedAt = completed && duration != null ? at.minusSeconds(duration) : at;
        return WebhookResult.of(new CallEvent(callSid, direction.startsWith("outbound") ? CallEvent.Direction.OUTBOUND : CallEvent.Direction.INBOUND,
                params.get("From"), to, startedAt, null, completed ? at : null, status, completed, duration, completed ? talk : null, null,
                params.get("RecordingUrl"), null));
    }

    private static Integer seconds(String value) {
        if (value == null || !value.matches("\\d{1,6}")) {
            return null;
        }
        return Integer.valueOf(value);
    }
}
