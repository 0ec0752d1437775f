package io.throughline.attribution.domain.journeys;

import io.throughline.attribution.domain.models.Rules;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Cuts one person's touches into a journey per deal: the touches within the lookback window before the conversion
 * (or before the cut-off for a deal that has not converted) and, when journeys reset, after the person's previous
 * conversion. Milestones: first touch; lead creation = the last touch at or before the deal's creation;
 * opportunity creation = the last touch at or before it became an opportunity; closed won = the last touch at or
 * before it was won.
 */
public final class Journeys {

    private Journeys() {
    }

    public static List<Journey> of(List<DealFacts> deals, List<Touch> touches, JourneySettings settings, Instant cutoff) {
        List<Touch> ordered = touches.stream().filter(t -> !t.at().isAfter(cutoff))
                .sorted(Comparator.comparing(Touch::at).thenComparing(Touch::id)).toList();
        List<Instant> conversions = deals.stream().map(d -> d.conversionAt(settings.conversionEvent())).filter(t -> t != null && !t.isAfter(cutoff))
                .sorted().toList();
        Duration lookback = Duration.ofDays(settings.lookbackDays());
        List<Journey> out = new ArrayList<>(deals.size());
        for (DealFacts deal : deals) {
            Instant converted = deal.conversionAt(settings.conversionEvent());
            if (converted != null && converted.isAfter(cutoff)) {
                converted = null;
            }
            Instant end = converted == null ? cutoff : converted;
            Instant start = end.minus(lookback);
            boolean afterConversion = false;
            if (settings.resetAfterConversion()) {
                for (Instant previous : conversions) {
                    if (previous.isBefore(end) && !previous.isBefore(start)) {
                        start = previous;
                        afterConversion = true;
                    }
                }
            }
            List<Touch> in = new ArrayList<>();
            for (Touch t : ordered) {
                boolean started = afterConversion ? t.at().isAfter(start) : !t.at().isBefore(start);
                if (started && !t.at().isAfter(end)) {
                    in.add(t);
                }
            }
            out.add(new Journey(deal, converted, end, in, roles(in, deal)));
        }
        return out;
    }

    private static List<Set<String>> roles(List<Touch> touches, DealFacts deal) {
        List<Set<String>> roles = new ArrayList<>(touches.size());
        for (int i = 0; i < touches.size(); i++) {
            roles.add(new HashSet<>());
        }
        if (!touches.isEmpty()) {
            roles.get(0).add(Rules.FIRST_TOUCH);
        }
        mark(touches, roles, deal.createdAt(), Rules.LEAD_CREATION);
        mark(touches, roles, deal.opportunityAt(), Rules.OPPORTUNITY_CREATION);
        mark(touches, roles, deal.wonAt(), Rules.CLOSED_WON);
        return roles.stream().map(Set::copyOf).toList();
    }

    private static void mark(List<Touch> touches, List<Set<String>> roles, Instant at, String role) {
        if (at == null) {
            return;
        }
        for (int i = touches.size() - 1; i >= 0; i--) {
            if (!touches.get(i).at().isAfter(at)) {
                roles.get(i).add(role);
                return;
            }
        }
    }
}
