package io.throughline.reporting.domain.facts;

import java.math.BigDecimal;
import java.util.List;

/** What one fact adds to one row of an aggregate table: the row's key values and its measures, in column order. */
public record Contribution(String table, List<Object> key, List<BigDecimal> measures) {

    public Contribution negated() {
        return new Contribution(table, key, measures.stream().map(BigDecimal::negate).toList());
    }
}
