package io.throughline.attribution.domain.audiences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.throughline.commons.phone.PhoneCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The published normalization and hashing vectors (reference/identity-and-audiences-research.md, section 6). */
class AudiencePlatformTest {

    @ParameterizedTest(name = "{0} e-mail {1}")
    @CsvSource(delimiter = '|', value = {
            "meta   | John_Smith@gmail.com                        | john_smith@gmail.com          | 62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f",
            "google | John_Smith@gmail.com                        | john_smith@gmail.com          | 62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f",
            "google | ' Cloudy.SanFrancisco+shopping@GMAIL.com '  | cloudysanfrancisco@gmail.com  | 223ebda6f6889b1494551ba902d9d381daf2f642bae055888e96343d53e9f9c4",
            "google | User.Name+NYC@Example.com                   | user.name+nyc@example.com     | f109a2a632fbcea5fc82049f50beed3d8621bf9034399f437fb622222acccdac",
            "meta   | ' Cloudy.SanFrancisco+shopping@GMAIL.com '  | cloudy.sanfrancisco+shopping@gmail.com | ",
    })
    void emails(String platform, String raw, String normalized, String hash) {
        AudiencePlatform p = AudiencePlatform.of(platform).orElseThrow();
        String value = p.email(raw).orElseThrow();
        assertEquals(normalized, value);
        if (hash != null) {
            assertEquals(hash, AudiencePlatform.sha256(value));
        }
    }

    @ParameterizedTest(name = "{0} phone {1} ({2})")
    @CsvSource(delimiter = '|', value = {
            "meta   | (650)555-1212     | US | 16505551212  | e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176",
            "google | (650)555-1212     | US | +16505551212 | 1e231c66011e7a2d867a9cfae267a6aff103cf4913640b6e71a99850fc0ffbc8",
            "google | (800)555-0100     | US | +18005550100 | fb4f73a6ec5fdb7077d564cdd22c3554b43ce49168550c3b12c547b78c517b30",
            "google | 8 (912) 345-67-89 | RU | +79123456789 | 694e8de862e4f3198b67f7a4aa9f4dfb123c5b78b0a72460ce882c405b111e63",
            "meta   | 8 (912) 345-67-89 | RU | 79123456789  | dbae582ee1f37b15623829ece40b66a8eb5162337ab0a8b7cf1b86cb300391bc",
            "yandex | 8 (912) 345-67-89 | RU | 79123456789  | dbae582ee1f37b15623829ece40b66a8eb5162337ab0a8b7cf1b86cb300391bc",
            "vk     | +7 912 345-67-89  | RU | 79123456789  | dbae582ee1f37b15623829ece40b66a8eb5162337ab0a8b7cf1b86cb300391bc",
    })
    void phones(String platform, String raw, String region, String normalized, String hash) {
        String e164 = PhoneCheck.check(raw, region).e164();
        String value = AudiencePlatform.of(platform).orElseThrow().phone(e164).orElseThrow();
        assertEquals(normalized, value);
        assertEquals(hash, AudiencePlatform.sha256(value));
    }

    @Test
    void whatIsNotAContactIsLeftOut() {
        assertTrue(AudiencePlatform.GOOGLE.email("no-at-sign").isEmpty());
        assertTrue(AudiencePlatform.META.phone("79123456789").isEmpty(), "a stored phone is E.164 with +");
        assertFalse(AudiencePlatform.GOOGLE.plainAllowed());
        assertTrue(AudiencePlatform.YANDEX.plainAllowed());
        assertEquals(List.of("email", "phone"), AudiencePlatform.YANDEX.header());
        assertTrue(AudiencePlatform.of("tiktok").isEmpty());
    }

    @Test
    void paidCustomersCountMoneyReceivedLessRefundsAndExpire() {
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        var paid = new AudienceRule.DealFact("won", "Оплачено", "paid", "RUB", 90_000, now.minus(Duration.ofDays(10)));
        var refunded = new AudienceRule.DealFact("won", "Оплачено", "paid", "RUB", 0, now.minus(Duration.ofDays(5)));
        var open = new AudienceRule.DealFact("open", "КП отправлено", "proposal", "RUB", 0, null);
        AudienceRule ever = new AudienceRule.PaidCustomers(null, null, null);
        AudienceRule recent = new AudienceRule.PaidCustomers(7, null, null);
        AudienceRule big = new AudienceRule.PaidCustomers(null, 100_000L, "RUB");
        assertTrue(AudienceRule.evaluate(ever, List.of(paid), now).member());
        assertFalse(AudienceRule.evaluate(ever, List.of(refunded), now).member(), "a refunded payment is no purchase");
        assertFalse(AudienceRule.evaluate(recent, List.of(paid), now).member(), "paid 10 days ago is not within 7");
        assertEquals(now.plus(Duration.ofDays(20)), AudienceRule.evaluate(new AudienceRule.PaidCustomers(30, null, null), List.of(paid), now).expiresAt());
        assertFalse(AudienceRule.evaluate(big, List.of(paid), now).member(), "900.00 is below the 1,000.00 minimum");
        AudienceRule proposal = new AudienceRule.OpenDeals(Set.of("proposal"));
        assertTrue(AudienceRule.evaluate(proposal, List.of(open), now).member(), "the canonical stage matches");
        assertTrue(AudienceRule.evaluate(new AudienceRule.OpenDeals(Set.of("КП отправлено")), List.of(open), now).member(), "so does the CRM's own name");
        assertFalse(AudienceRule.evaluate(proposal, List.of(paid), now).member());
    }
}
