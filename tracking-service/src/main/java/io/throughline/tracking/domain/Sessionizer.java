package io.throughline.tracking.domain;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Cuts a visitor's hits into sessions: a new session after the inactivity timeout (30 minutes by default), or
 * when a page view arrives from another campaign (source, medium, campaign or click id). Hits without a source
 * of their own (internal navigation, direct reloads, events) continue the session; a late hit from before the
 * current session belongs to a session of its own and leaves the visitor's state alone.
 */
public final class Sessionizer {

    private final Duration timeout;
    private final int maxHitsPerMinute;

    public Sessionizer(Duration timeout, int maxHitsPerMinute) {
        this.timeout = timeout;
        this.maxHitsPerMinute = maxHitsPerMinute;
    }

    /** Where one hit goes. {@code source} is the page view's traffic source, null for other events. */
    public Assignment assign(String tenantId, String visitorId, VisitorState state, String eventId, Instant at,
            TrafficSource source) {
        if (state != null && at.isBefore(state.lastHitAt())) {
            boolean withinCurrent = !at.isBefore(state.sessionStartedAt().minus(timeout));
            if (withinCurrent) {
                return new Assignment(state.sessionId(), false, state, false);
            }
            return new Assignment(sessionId(tenantId, visitorId, eventId), true, state, false);
        }
        boolean rateExceeded = false;
        Instant windowStart = at;
        int count = 1;
        if (state != null && Duration.between(state.rateWindowStart(), at).compareTo(Duration.ofMinutes(1)) < 0) {
            windowStart = state.rateWindowStart();
            count = state.rateCount() + 1;
            rateExceeded = count > maxHitsPerMinute;
        }
        boolean startsNew = state == null
                || Duration.between(state.lastHitAt(), at).compareTo(timeout) > 0
                || (source != null && source.kind().namesSource() && !sameCampaign(state, source));
        if (startsNew) {
            Campaign campaign = source == null || !source.kind().namesSource() ? Campaign.DIRECT : source.campaign();
            Map<String, String> clickIds = source == null || !source.kind().namesSource() ? Map.of() : source.clickIds();
            String id = sessionId(tenantId, visitorId, eventId);
            return new Assignment(id, true, new VisitorState(id, at, at, campaign, clickIds, windowStart, count), rateExceeded);
        }
        return new Assignment(state.sessionId(), false, new VisitorState(state.sessionId(), state.sessionStartedAt(), at,
                state.campaign(), state.clickIds(), windowStart, count), rateExceeded);
    }

    private static boolean sameCampaign(VisitorState state, TrafficSource source) {
        if (!source.campaign().sameOrigin(state.campaign())) {
            return false;
        }
        // A click id the session has not seen is a new ad click, even on the same campaign.
        for (Map.Entry<String, String> click : source.clickIds().entrySet()) {
            if (!click.getValue().equals(state.clickIds().get(click.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Session ids are derived from the hit that opened the session, so a replayed hit opens the same session. */
    public static String sessionId(String tenantId, String visitorId, String eventId) {
        return UUID.nameUUIDFromBytes((tenantId + '\n' + visitorId + '\n' + eventId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * The session of one hit, whether the hit opened it, the visitor's state after the hit, and whether the
     * visitor has sent more hits in a minute than a person can.
     */
    public record Assignment(String sessionId, boolean opensSession, VisitorState next, boolean rateExceeded) {
    }
}
