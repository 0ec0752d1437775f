package io.throughline.reporting.domain;

import io.throughline.commons.money.Money;
import java.time.LocalDate;

/** What one campaign of one source cost on one day; (day, source, campaign) is its natural key. */
public record AdCost(LocalDate day, String source, String campaign, Money amount) {
}
