package io.throughline.attribution.domain.journeys;

import java.util.List;

/**
 * What a conversion is ({@code payment}: the deal's first payment, {@code deal_won}: the deal reaching won,
 * {@code lead_created}: the deal's creation), how far back a journey looks, and whether it starts after the person's
 * previous conversion.
 */
public record JourneySettings(String conversionEvent, int lookbackDays, boolean resetAfterConversion) {

    public static final List<String> EVENTS = List.of("payment", "deal_won", "lead_created");
    public static final JourneySettings DEFAULTS = new JourneySettings("payment", 90, true);
}
