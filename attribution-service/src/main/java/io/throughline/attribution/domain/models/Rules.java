package io.throughline.attribution.domain.models;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/** The rule-based models of design/attribution.md, each as the weights it gives a path's touches. */
public final class Rules {

    /** Milestone roles of W-shaped and full-path. */
    public static final String FIRST_TOUCH = "first_touch";
    public static final String LEAD_CREATION = "lead_creation";
    public static final String OPPORTUNITY_CREATION = "opportunity_creation";
    public static final String CLOSED_WON = "closed_won";
    public static final Set<String> ROLES = Set.of(FIRST_TOUCH, LEAD_CREATION, OPPORTUNITY_CREATION, CLOSED_WON);

    private static final double EPSILON = 1e-9;

    private Rules() {
    }

    public static RuleBasedModel.Rule firstTouch() {
        return (path, row) -> single(path.channels().size(), 0);
    }

    public static RuleBasedModel.Rule lastTouch() {
        return (path, row) -> single(path.channels().size(), path.channels().size() - 1);
    }

    /** The last touch whose channel is not direct-like; the last touch when all are. */
    public static RuleBasedModel.Rule lastNonDirect(Set<String> directLike) {
        return (path, row) -> {
            List<String> c = path.channels();
            for (int i = c.size() - 1; i >= 0; i--) {
                if (!directLike.contains(c.get(i))) {
                    return single(c.size(), i);
                }
            }
            return single(c.size(), c.size() - 1);
        };
    }

    /** 1/n per touch: a channel appearing twice collects two shares. */
    public static RuleBasedModel.Rule linear() {
        return (path, row) -> {
            double[] w = new double[path.channels().size()];
            java.util.Arrays.fill(w, 1.0 / w.length);
            return w;
        };
    }

    /**
     * First f, last l, m split over the middle touches. One touch: 1. Two touches: f and l prorated to f/(f+l) and
     * l/(f+l). Weights must be >= 0 and sum to 1.
     */
    public static RuleBasedModel.Rule positionBased(double first, double middle, double last) {
        if (first < 0 || middle < 0 || last < 0) {
            throw ModelInputException.invalid("params", "first, middle and last must be >= 0");
        }
        if (Math.abs(first + middle + last - 1) > EPSILON) {
            throw ModelInputException.invalid("params", "first + middle + last must sum to 1 (they sum to " + (first + middle + last) + ")");
        }
        return (path, row) -> {
            int n = path.channels().size();
            double[] w = new double[n];
            if (n == 1) {
                w[0] = 1;
            } else if (n == 2) {
                double ends = first + last;
                w[0] = ends == 0 ? 0.5 : first / ends;
                w[1] = ends == 0 ? 0.5 : last / ends;
            } else {
                w[0] = first;
                w[n - 1] = last;
                for (int i = 1; i < n - 1; i++) {
                    w[i] = middle / (n - 2);
                }
            }
            return w;
        };
    }

    /** w_i proportional to 2^(-dt_i / H), dt_i = conversion time - touch time in seconds; normalized per path. */
    public static RuleBasedModel.Rule timeDecay(Duration halfLife) {
        if (halfLife.isNegative() || halfLife.isZero()) {
            throw ModelInputException.invalid("params.half_life_days", "must be > 0");
        }
        double h = halfLife.toMillis() / 1000.0;
        return (path, row) -> {
            if (path.touchTimes() == null || path.conversionTime() == null) {
                throw ModelInputException.invalid("paths[" + row + "].touch_times", "time_decay needs touch_times and conversion_time");
            }
            int n = path.channels().size();
            double[] w = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                double dt = Duration.between(path.touchTimes().get(i), path.conversionTime()).toMillis() / 1000.0;
                if (dt < 0) {
                    throw ModelInputException.invalid("paths[" + row + "].touch_times[" + i + "]", "is after the conversion_time");
                }
                w[i] = Math.pow(2, -dt / h);
                sum += w[i];
            }
            for (int i = 0; i < n; i++) {
                w[i] /= sum;
            }
            return w;
        };
    }

    /** 0.3 to each of first touch, lead creation and opportunity creation; 0.1 over the other touches; normalized. */
    public static RuleBasedModel.Rule wShaped() {
        return milestones(List.of(FIRST_TOUCH, LEAD_CREATION, OPPORTUNITY_CREATION), 0.3, 0.1);
    }

    /** Like W-shaped plus closed won: 0.225 to each of the four milestones, 0.1 over the other touches; normalized. */
    public static RuleBasedModel.Rule fullPath() {
        return milestones(List.of(FIRST_TOUCH, LEAD_CREATION, OPPORTUNITY_CREATION, CLOSED_WON), 0.225, 0.1);
    }

    /**
     * Milestone touches get {@code share} per milestone they hold (the first touch holds first_touch unless roles
     * say otherwise); the other touches split {@code rest} equally; the weights are then normalized to sum to 1
     * (a missing milestone, or no other touches, leaves less than 1).
     */
    private static RuleBasedModel.Rule milestones(List<String> roles, double share, double rest) {
        return (path, row) -> {
            int n = path.channels().size();
            List<Set<String>> given = path.roles();
            boolean firstNamed = given != null && given.stream().anyMatch(r -> r.contains(FIRST_TOUCH));
            double[] w = new double[n];
            boolean[] milestone = new boolean[n];
            for (int i = 0; i < n; i++) {
                Set<String> r = given == null ? Set.of() : given.get(i);
                for (String role : roles) {
                    boolean holds = r.contains(role) || (role.equals(FIRST_TOUCH) && !firstNamed && i == 0);
                    if (holds) {
                        w[i] += share;
                        milestone[i] = true;
                    }
                }
            }
            int others = 0;
            for (boolean m : milestone) {
                others += m ? 0 : 1;
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                if (!milestone[i]) {
                    w[i] = rest / others;
                }
                sum += w[i];
            }
            for (int i = 0; i < n; i++) {
                w[i] /= sum;
            }
            return w;
        };
    }

    private static double[] single(int n, int index) {
        double[] w = new double[n];
        w[index] = 1;
        return w;
    }
}
