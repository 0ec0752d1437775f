package io.throughline.calltracking.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which session a call to a pool number belongs to, from the number's reservation history (webhooks arrive late,
 * the number may have changed hands since): the reservations whose window [assigned, last seen + hold] contains
 * the call time, widened by the PBX clock's tolerated skew. One candidate: confidence 1. Several (an overflow reuse,
 * a skewed clock at a hand-over): the most recently active of those inside their window wins (of those only within
 * the skew when none is inside), the others are kept as alternates, and the confidence is its share of the
 * candidates' weights (inside the window 1, a shared number's reservation 0.75, only within the skew 0.5).
 */
public final class CallMatcher {

    private CallMatcher() {
    }

    /** The chosen reservation, its confidence, the other candidates (most likely first); null when none fits. */
    public record Match(ReservationWindow chosen, double confidence, List<ReservationWindow> alternates) {
    }

    public static Match match(List<ReservationWindow> history, Instant callAt, Duration skew) {
        record Candidate(ReservationWindow window, double weight) {
        }
        List<Candidate> candidates = new ArrayList<>();
        for (ReservationWindow w : history) {
            boolean inside = !callAt.isBefore(w.assignedAt()) && !callAt.isAfter(w.heldUntil());
            boolean withinSkew = !callAt.isBefore(w.assignedAt().minus(skew)) && !callAt.isAfter(w.heldUntil().plus(skew));
            if (inside || withinSkew) {
                candidates.add(new Candidate(w, inside ? (w.overflow() ? 0.75 : 1.0) : 0.5));
            }
        }
        if (candidates.isEmpty()) {
            return null;
        }
        // Inside the window before only within the skew; then the most recently active.
        candidates.sort(Comparator.comparing((Candidate c) -> c.weight() < 0.75)
                .thenComparing(c -> c.window().lastSeenAt(), Comparator.reverseOrder()));
        double total = candidates.stream().mapToDouble(Candidate::weight).sum();
        Candidate best = candidates.get(0);
        double confidence = candidates.size() == 1 ? 1.0 : Math.round(best.weight() / total * 1000) / 1000.0;
        return new Match(best.window(), confidence, candidates.subList(1, candidates.size()).stream().map(Candidate::window).toList());
    }
}
