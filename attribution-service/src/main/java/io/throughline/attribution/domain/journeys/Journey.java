package io.throughline.attribution.domain.journeys;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The touches that led to one deal, oldest first, with each touch's milestone roles; {@code conversionAt} is null
 * when the deal has not converted (the journey then feeds the data-driven models as a null path).
 */
public record Journey(DealFacts deal, Instant conversionAt, Instant endsAt, List<Touch> touches, List<Set<String>> roles) {

    public boolean converted() {
        return conversionAt != null;
    }

    /** The touch that created the lead (the last one before the deal was created), else the first touch, else none. */
    public Touch leadTouch() {
        for (int i = touches.size() - 1; i >= 0; i--) {
            if (roles.get(i).contains(io.throughline.attribution.domain.models.Rules.LEAD_CREATION)) {
                return touches.get(i);
            }
        }
        return touches.isEmpty() ? Touch.none(endsAt) : touches.get(0);
    }
}
