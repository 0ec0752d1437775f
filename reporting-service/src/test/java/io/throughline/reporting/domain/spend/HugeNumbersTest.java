package io.throughline.reporting.domain.spend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.throughline.commons.money.Decimals;
import io.throughline.reporting.domain.rates.RateCsv;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A number with an exponent of a billion parses in no time but takes minutes (or the whole heap) to round or print:
 * the fuzzer found one in a Google Ads cost_micros. Every importer refuses such a number as the row's problem. The
 * timeout only keeps a regression from hanging the build; it measures nothing.
 */
@Timeout(120)
class HugeNumbersTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 12, 1);

    @Test
    void aCsvCostWithAHugeExponentIsARejectedRow() {
        SpendFile f = SpendCsv.parse("day,platform,campaign,cost,currency\n2026-11-30,yandex_direct,Sofas,1e999999999,RUB\n"
                + "2026-11-30,yandex_direct,Sofas,1e-999999999,RUB\n2026-11-30,yandex_direct,Sofas,1500.50,RUB\n", Platforms.defaults(), TODAY);
        assertEquals(1, f.rows().size());
        assertEquals(150_050, f.rows().get(0).costMinor());
        assertEquals(List.of("cost", "cost"), f.rejected().stream().map(SpendRejection::field).toList());
        assertTrue(f.rejected().get(0).reason().contains(Decimals.OUT_OF_RANGE), f.rejected().toString());
    }

    @Test
    void costMicrosWithAHugeExponentIsARejectedRow() {
        SpendFile f = GoogleAdsReport.parse("""
                [{"results": [{"campaign": {"id": "111", "name": "PMax"}, "metrics": {"clicks": "4", "impressions": "15", "costMicros": "66e666666666"},
                  "segments": {"date": "2026-11-30"}}]}]""", "acct", "RUB", Platforms.defaults(), TODAY);
        assertEquals(0, f.rows().size());
        assertEquals("metrics.costMicros", f.rejected().get(0).field());
        assertTrue(f.rejected().get(0).reason().contains(Decimals.OUT_OF_RANGE), f.rejected().toString());
    }

    @Test
    void jsonCostAndConversionsWithHugeExponentsAreRejectedRows() {
        SpendFile f = SpendInputs.parse(List.of(
                input(new BigDecimal("1e999999999"), null),
                input(new BigDecimal("100"), new BigDecimal("1e-999999999"))), Platforms.defaults(), TODAY);
        assertEquals(0, f.rows().size());
        assertEquals(List.of("cost", "conversions"), f.rejected().stream().map(SpendRejection::field).toList());
    }

    @Test
    void aRateWithAHugeExponentIsARejectedLine() {
        RateCsv.Result r = RateCsv.parse("day;currency;rate;nominal\n2026-11-06;USD;1e999999999;1\n2026-11-06;EUR;1;1e-999999999\n2026-11-06;JPY;61,3;100\n", "RUB");
        assertEquals(1, r.rates().size());
        assertEquals(List.of(Decimals.OUT_OF_RANGE, Decimals.OUT_OF_RANGE), r.rejected().stream().map(RateCsv.Problem::reason).toList());
    }

    private static SpendInputs.Input input(BigDecimal cost, BigDecimal conversions) {
        return new SpendInputs.Input("2026-11-30", "yandex_direct", null, null, "Sofas", null, null, 10L, 1L, cost, "RUB", conversions,
                null, null, null);
    }
}
