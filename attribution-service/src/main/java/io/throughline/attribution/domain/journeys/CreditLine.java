package io.throughline.attribution.domain.journeys;

import java.time.Instant;
import java.util.UUID;

/**
 * The credit one touch earns from one event of a deal: the conversion itself ({@code conversions} = the touch's
 * weight) or a payment or refund ({@code revenueMinor} and {@code grossProfitMinor} = weight x amount, in minor
 * units of {@code currency}, fractional).
 */
public record CreditLine(UUID dealId, String event, String eventId, Instant eventAt, int touchIndex, Touch touch, double weight, double conversions,
        String currency, double revenueMinor, double grossProfitMinor) {
}
