package io.throughline.calltracking.domain;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Zadarma's PBX notifications (form POSTs): NOTIFY_START, NOTIFY_ANSWER, NOTIFY_END for inbound calls,
 * NOTIFY_OUT_START / NOTIFY_OUT_END for outbound ones. The {@code Signature} header is base64 of the hex
 * HMAC-SHA1 (the API secret) of the event's own fields; a GET with {@code zd_echo} checks the URL and is echoed.
 * {@code call_start} is in the account's time zone.
 */
public final class ZadarmaWebhook {

    private static final DateTimeFormatter CALL_START = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private ZadarmaWebhook() {
    }

    public static WebhookResult read(Map<String, String> params, String signature, String secret, ZoneId zone, Instant now) {
        String event = params.get("event");
        if (event == null) {
            return WebhookResult.refused(WebhookProblem.invalid("event", "is required"));
        }
        String signed = switch (event) {
            case "NOTIFY_START", "NOTIFY_END" -> v(params, "caller_id") + v(params, "called_did") + v(params, "call_start");
            case "NOTIFY_ANSWER" -> v(params, "caller_id") + v(params, "destination") + v(params, "call_start");
            case "NOTIFY_OUT_START", "NOTIFY_OUT_END" -> v(params, "internal") + v(params, "destination") + v(params, "call_start");
            default -> null;
        };
        if (signed == null) {
            // Recordings, IVR and internal calls carry nothing to track; acknowledged so Zadarma does not retry.
            return WebhookResult.acknowledged("");
        }
        if (!Signatures.same(Signatures.zadarma(secret, signed), signature)) {
            return WebhookResult.refused(WebhookProblem.unauthorized("Signature", "does not match the event signed with this integration's API secret"));
        }
        String callId = params.get("pbx_call_id");
        if (callId == null || callId.isBlank() || callId.length() > 100) {
            return WebhookResult.refused(WebhookProblem.invalid("pbx_call_id", "is required"));
        }
        Instant start;
        try {
            start = LocalDateTime.parse(v(params, "call_start"), CALL_START).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            return WebhookResult.refused(WebhookProblem.invalid("call_start", "must be YYYY-MM-DD HH:MM:SS"));
        }
        if (start.isAfter(now.plus(GenericWebhook.REPLAY_WINDOW))) {
            return WebhookResult.refused(WebhookProblem.invalid("call_start", "is in the future (check the integration's time zone)"));
        }
        boolean outbound = event.startsWith("NOTIFY_OUT");
        String caller = outbound ? params.get("internal") : params.get("caller_id");
        String called = outbound ? params.get("destination") : params.get("called_did");
        if (called == null || called.isBlank()) {
            return WebhookResult.refused(WebhookProblem.invalid(outbound ? "destination" : "called_did", "is required"));
        }
        boolean end = event.endsWith("_END");
        CallStatus status = end ? CallStatus.fromZadarma(params.get("disposition")) : null;
        Integer duration = params.get("duration") != null && params.get("duration").matches("\\d{1,6}") ? Integer.valueOf(params.get("duration")) : null;
        Instant answered = "NOTIFY_ANSWER".equals(event) ? now : null;
        return WebhookResult.of(new CallEvent(callId, outbound ? CallEvent.Direction.OUTBOUND : CallEvent.Direction.INBOUND, caller, called,
                start, answered, end && duration != null ? start.plusSeconds(duration) : null, status, end, duration,
                end ? (status == CallStatus.ANSWERED ? duration : Integer.valueOf(0)) : null, null, null, params.get("internal")));
    }

    private static String v(Map<String, String> params, String name) {
        String value = params.get(name);
        return value == null ? "" : value;
    }
}
