package io.throughline.calltracking.processing;

import io.throughline.calltracking.client.PlatformCalls;
import io.throughline.calltracking.domain.CallMatcher;
import io.throughline.calltracking.domain.CallRules;
import io.throughline.calltracking.domain.ReservationWindow;
import io.throughline.calltracking.store.Calls;
import io.throughline.calltracking.store.Numbers;
import io.throughline.contracts.common.v1.Touchpoint;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Who a call came from: for a pool number, the reservation history around the call time (CallMatcher) and then
 * the session tracking-service recorded for that visitor; for a static number, its source; otherwise unidentified.
 */
@ApplicationScoped
public class CallEnrichment {

    /** A call's match and the touch it inherits. */
    public record Match(String kind, Double confidence, UUID reservationId, List<Map<String, String>> alternates, String visitorId,
            String sessionId, String channel, Map<String, String> campaign, Map<String, String> clickIds, String landingPage, String referrer) {
        static final Match NONE = new Match(null, null, null, List.of(), null, null, null, Map.of(), Map.of(), null, null);

        static Match unidentified() {
            return new Match("unidentified", 0.0, null, List.of(), null, null, null, Map.of(), Map.of(), null, null);
        }
    }

    private final Calls calls;
    private final Numbers numbers;
    private final PlatformCalls platform;

    public CallEnrichment(Calls calls, Numbers numbers, PlatformCalls platform) {
        this.calls = calls;
        this.numbers = numbers;
        this.platform = platform;
    }

    /** The full match, with the session from tracking-service (throws the gRPC status when it does not answer). */
    public Match match(Calls.Claimed call, CallRules rules) {
        return resolve(call, rules, true);
    }

    /** The match from the reservation alone (tracking-service unavailable). */
    public Match matchWithoutSession(Calls.Claimed call, CallRules rules) {
        return resolve(call, rules, false);
    }

    private Match resolve(Calls.Claimed call, CallRules rules, boolean withSession) {
        if (call.numberId() == null) {
            return Match.unidentified();
        }
        Optional<Numbers.Number> number = numbers.find(call.tenantId(), call.numberId());
        if (number.isEmpty()) {
            return Match.unidentified();
        }
        Numbers.Number n = number.get();
        if ("static".equals(n.kind())) {
            Map<String, String> campaign = new LinkedHashMap<>();
            put(campaign, "source", n.matchSource());
            put(campaign, "medium", n.matchMedium());
            put(campaign, "campaign", n.matchCampaign());
            return new Match("static", 1.0, null, List.of(), null, null, n.channel(), campaign, Map.of(), null, null);
        }
        Duration skew = Duration.ofSeconds(rules.matchSkewSeconds());
        List<Calls.Reservation> history = calls.reservationsAround(n.id(), call.startedAt(), skew);
        CallMatcher.Match m = CallMatcher.match(history.stream().map(Calls.Reservation::window).toList(), call.startedAt(), skew);
        if (m == null) {
            return Match.unidentified();
        }
        Calls.Reservation chosen = history.stream().filter(r -> r.window().reservationId().equals(m.chosen().reservationId())).findFirst().orElseThrow();
        List<Map<String, String>> alternates = m.alternates().stream().map(w -> {
            Map<String, String> a = new LinkedHashMap<>();
            a.put("reservation_id", w.reservationId().toString());
            a.put("visitor_id", w.visitorId());
            put(a, "session_id", w.sessionId());
            return a;
        }).toList();
        ReservationWindow w = m.chosen();
        Optional<Touchpoint> session = withSession ? session(call, w) : Optional.empty();
        if (session.isPresent()) {
            Touchpoint s = session.get();
            Map<String, String> campaign = new LinkedHashMap<>();
            put(campaign, "source", s.getCampaign().getSource());
            put(campaign, "medium", s.getCampaign().getMedium());
            put(campaign, "campaign", s.getCampaign().getCampaign());
            put(campaign, "term", s.getCampaign().getTerm());
            put(campaign, "content", s.getCampaign().getContent());
            return new Match("reservation", m.confidence(), w.reservationId(), alternates, w.visitorId(), s.getTouchpointId(),
                    blank(s.getChannel()), campaign, Map.copyOf(s.getClickIdsMap()), blank(s.getLandingPage()), blank(s.getReferrer()));
        }
        return new Match("reservation", m.confidence(), w.reservationId(), alternates, w.visitorId(), w.sessionId(), null, chosen.campaign(),
                chosen.clickIds(), chosen.landingPage(), chosen.referrer());
    }

    /**
     * The session the reservation named, else the visitor's latest session that started before the call (or before
     * the number was shown, whichever is later: the page's and the PBX's clocks differ by seconds).
     */
    private Optional<Touchpoint> session(Calls.Claimed call, ReservationWindow w) {
        if (w.sessionId() != null) {
            Optional<Touchpoint> named = platform.session(call.tenantId(), w.sessionId());
            if (named.isPresent()) {
                return named;
            }
        }
        Instant bound = (call.startedAt().isAfter(w.assignedAt()) ? call.startedAt() : w.assignedAt()).plusSeconds(60);
        List<Touchpoint> sessions = platform.sessions(call.tenantId(), w.visitorId(), w.assignedAt().minus(Duration.ofHours(12)), bound);
        Touchpoint best = null;
        for (Touchpoint t : sessions) {
            if (t.getStartedAt().getSeconds() <= bound.getEpochSecond()) {
                best = t;
            }
        }
        return Optional.ofNullable(best);
    }

    private static void put(Map<String, String> map, String key, String value) {
        if (value != null && !value.isBlank()) {
            map.put(key, value);
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
