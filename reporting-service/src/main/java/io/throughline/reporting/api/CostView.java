package io.throughline.reporting.api;

import io.throughline.reporting.domain.AdCost;
import java.math.BigDecimal;
import java.time.LocalDate;

public record CostView(LocalDate day, String source, String campaign, BigDecimal amount, String currency) {

    static CostView of(AdCost cost) {
        return new CostView(cost.day(), cost.source(), cost.campaign(), cost.amount().major(),
                cost.amount().currency().getCurrencyCode());
    }
}
