package io.throughline.calltracking.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;

/**
 * Throughline's own call webhook, for any PBX that can send JSON (Asterisk and FreeSWITCH hangup hooks, a CRM's
 * telephony module). Signed: {@code X-Timestamp} (Unix seconds) and {@code X-Signature: sha256=<hex HMAC-SHA256(secret,
 * timestamp + "." + body)>}, refused outside a 5-minute window. Idempotent on {@code call_id}.
 */
public final class GenericWebhook {

    public static final Duration REPLAY_WINDOW = io.throughline.commons.webhook.WebhookSignature.REPLAY_WINDOW;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> EVENTS = Set.of("call.started", "call.answered", "call.completed");

    private GenericWebhook() {
    }

    public static WebhookResult read(String timestamp, String signature, byte[] body, String secret, Instant now) {
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        var refused = io.throughline.commons.webhook.WebhookSignature.check(timestamp, signature, text, secret, now);
        if (refused.isPresent()) {
            return WebhookResult.refused(WebhookProblem.unauthorized(refused.get().field(), refused.get().message()));
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return WebhookResult.refused(WebhookProblem.invalid("", "the body is not valid JSON"));
        }
        if (root == null || !root.isObject()) {
            return WebhookResult.refused(WebhookProblem.invalid("", "the body must be a JSON object"));
        }
        String callId = text(root, "call_id");
        if (callId == null || callId.isBlank() || callId.length() > 100) {
            return WebhookResult.refused(WebhookProblem.invalid("call_id", "is required (at most 100 characters)"));
        }
        String event = text(root, "event");
        if (event != null && !EVENTS.contains(event)) {
            return WebhookResult.refused(WebhookProblem.invalid("event", "must be call.started, call.answered or call.completed"));
        }
        String direction = text(root, "direction");
        if (direction != null && !direction.equals("inbound") && !direction.equals("outbound")) {
            return WebhookResult.refused(WebhookProblem.invalid("direction", "must be inbound or outbound"));
        }
        String from = text(root, "from");
        String to = text(root, "to");
        if (to == null || to.isBlank() || to.length() > 40) {
            return WebhookResult.refused(WebhookProblem.invalid("to", "is required: the number that was called"));
        }
        if (from != null && from.length() > 40) {
            return WebhookResult.refused(WebhookProblem.invalid("from", "at most 40 characters"));
        }
        Instant startedAt = time(root, "started_at");
        if (startedAt == null) {
            return WebhookResult.refused(WebhookProblem.invalid("started_at", "is required: an RFC 3339 time"));
        }
        if (startedAt.isAfter(now.plus(REPLAY_WINDOW))) {
            return WebhookResult.refused(WebhookProblem.invalid("started_at", "is in the future"));
        }
        for (String field : new String[] {"answered_at", "ended_at"}) {
            if (present(root, field) && time(root, field) == null) {
                return WebhookResult.refused(WebhookProblem.invalid(field, "must be an RFC 3339 time"));
            }
        }
        String statusText = text(root, "status");
        CallStatus status = statusText == null ? null : CallStatus.fromCode(statusText.toLowerCase(Locale.ROOT));
        if (statusText != null && status == null) {
            return WebhookResult.refused(WebhookProblem.invalid("status", "must be answered, no_answer, busy, canceled or failed"));
        }
        boolean completed = "call.completed".equals(event) || (event == null && status != null);
        if (completed && status == null) {
            return WebhookResult.refused(WebhookProblem.invalid("status", "is required when the call is completed"));
        }
        Integer[] numbers = new Integer[3];
        String[] names = {"duration_sec", "talk_sec", "wait_sec"};
        for (int i = 0; i < 3; i++) {
            JsonNode n = root.get(names[i]);
            if (n != null && !n.isNull()) {
                if (!n.canConvertToInt() || n.asInt() < 0 || n.asInt() > 86_400) {
                    return WebhookResult.refused(WebhookProblem.invalid(names[i], "must be a number of seconds between 0 and 86400"));
                }
                numbers[i] = n.asInt();
            }
        }
        String recording = text(root, "recording_url");
        if (recording != null && !recording.matches("https?://\\S{1,2000}")) {
            return WebhookResult.refused(WebhookProblem.invalid("recording_url", "must be an http(s) URL"));
        }
        String agent = text(root, "agent");
        return WebhookResult.of(new CallEvent(callId, "outbound".equals(direction) ? CallEvent.Direction.OUTBOUND : CallEvent.Direction.INBOUND,
                from, to, startedAt, time(root, "answered_at"), time(root, "ended_at"), status, completed, numbers[0], numbers[1], numbers[2],
                recording, agent == null ? null : agent.substring(0, Math.min(agent.length(), 100))));
    }

    private static boolean present(JsonNode root, String field) {
        return root.has(field) && !root.get(field).isNull();
    }

    private static String text(JsonNode root, String field) {
        JsonNode v = root.get(field);
        return v == null || v.isNull() ? null : v.isTextual() ? v.asText() : v.toString();
    }

    private static Instant time(JsonNode root, String field) {
        String v = text(root, field);
        if (v == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
