package io.throughline.attribution.domain;

import java.util.Locale;
import java.util.Optional;

/** The canonical funnel every CRM's pipeline is mapped onto, in order. */
public enum FunnelStage {
    LEAD, QUALIFIED, PROPOSAL, INVOICE, WON, PAID, LOST;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The furthest stage (not lost) a deal reached: the furthest of its history and current stage, won when its
     * status is won, paid when it has a payment; lead at least.
     */
    public static FunnelStage furthest(java.util.Collection<String> stagesSeen, String status, boolean paid) {
        java.util.Set<String> seen = new java.util.HashSet<>(stagesSeen);
        if ("won".equals(status)) {
            seen.add("won");
        }
        if (paid) {
            seen.add("paid");
        }
        FunnelStage max = LEAD;
        for (String code : seen) {
            FunnelStage s = fromCode(code).orElse(LEAD);
            if (s != LOST && s.ordinal() > max.ordinal()) {
                max = s;
            }
        }
        return max;
    }

    public static Optional<FunnelStage> fromCode(String code) {
        for (FunnelStage stage : values()) {
            if (stage.code().equals(code)) {
                return Optional.of(stage);
            }
        }
        return Optional.empty();
    }
}
