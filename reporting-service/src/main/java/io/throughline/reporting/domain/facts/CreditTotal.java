package io.throughline.reporting.domain.facts;

import java.math.BigDecimal;
import java.time.LocalDate;

/** Credits of one day, campaign keys and currency (or their change): fractional minor units. */
public record CreditTotal(LocalDate day, Keys keys, String currency, double conversions, BigDecimal revenueMinor, BigDecimal grossProfitMinor,
        double paidDeals, double newCustomers) {
}
