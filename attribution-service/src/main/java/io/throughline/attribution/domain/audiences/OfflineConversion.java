package io.throughline.attribution.domain.audiences;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A paid deal as an ad platform's offline conversion: the click that delivered it (or a client id), the money received
 * (net of refunds, in the deal's currency) and the time of the first payment, plus hashed contacts where the platform
 * matches on them (Meta).
 */
public record OfflineConversion(UUID dealId, String clickParam, String clickId, Instant clickedAt, long valueMinor, int fractionDigits, String currency,
        Instant at, List<String> hashedEmails, List<String> hashedPhones) {

    /** The click ids each platform takes, in order of preference. */
    public static final Map<AudiencePlatform, List<String>> CLICK_IDS = Map.of(
            AudiencePlatform.GOOGLE, List.of("gclid", "gbraid", "wbraid"),
            AudiencePlatform.YANDEX, List.of("yclid"),
            AudiencePlatform.META, List.of("fbclid"),
            AudiencePlatform.VK, List.of());

    /** A touch with its click ids, as tracking-service records them on sessions. */
    public record Click(Instant at, Map<String, String> clickIds) {
    }

    /** The platform's latest click at or before the conversion, within the lookback. */
    public static Optional<Map.Entry<String, Click>> lastClick(AudiencePlatform platform, List<Click> clicks, Instant conversion, int lookbackDays) {
        Instant from = conversion.minusSeconds(lookbackDays * 86_400L);
        Map.Entry<String, Click> best = null;
        for (Click c : clicks) {
            if (c.at().isAfter(conversion) || c.at().isBefore(from)) {
                continue;
            }
            for (String param : CLICK_IDS.get(platform)) {
                String value = c.clickIds().get(param);
                if (value != null && !value.isBlank() && (best == null || c.at().isAfter(best.getValue().at()))) {
                    best = Map.entry(param, c);
                    break;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** Whether the platform can take the conversion without a click (Meta matches on hashed contacts). */
    public static boolean matchesWithoutClick(AudiencePlatform platform) {
        return platform == AudiencePlatform.META;
    }

}
