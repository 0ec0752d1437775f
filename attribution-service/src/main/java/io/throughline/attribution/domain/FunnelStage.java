package io.throughline.attribution.domain;

import java.util.Locale;
import java.util.Optional;

/** The canonical funnel every CRM's pipeline is mapped onto, in order. */
public enum FunnelStage {
    LEAD, QUALIFIED, PROPOSAL, INVOICE, WON, PAID, LOST;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
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
