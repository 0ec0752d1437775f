package io.throughline.reporting.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.throughline.reporting.domain.metrics.Overheads;
import io.throughline.reporting.domain.rates.CbrDailyXml;
import io.throughline.reporting.domain.rates.ExchangeRates;
import io.throughline.reporting.domain.rates.RateCsv;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.Charset;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OverheadsAndRatesTest {

    private static final YearMonth NOV = YearMonth.of(2026, 11);
    private static final LocalDate FROM = NOV.atDay(1);
    private static final LocalDate TO = NOV.atEndOfMonth();

    private static Overheads.Basis b(long spend, long leads, long paid) {
        return new Overheads.Basis(BigDecimal.valueOf(spend), BigDecimal.valueOf(leads), BigDecimal.valueOf(paid));
    }

    private static Overheads.Allocation<String> allocate(Overheads.Rule rule, Map<String, BigDecimal> shares, List<Overheads.Item> items) {
        Map<String, Overheads.Basis> channels = Map.of("search", b(30_000, 10, 1), "social", b(10_000, 30, 3));
        List<Overheads.Cell<String>> cells = List.of(new Overheads.Cell<>("search/brand", "search", NOV, b(20_000, 4, 1)),
                new Overheads.Cell<>("search/generic", "search", NOV, b(10_000, 6, 0)), new Overheads.Cell<>("social", "social", NOV, b(10_000, 30, 3)));
        return Overheads.allocate(rule, shares, items, FROM, TO, Map.of(NOV, b(40_000, 40, 4)), Map.of(NOV, channels), cells);
    }

    private static Overheads.Item salaries(long minor) {
        return new Overheads.Item(NOV, "salaries", BigDecimal.valueOf(minor), null, null);
    }

    private static long r(BigDecimal v) {
        return v.setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    @Test
    void bySpendShareLeadShareAndPaidDealShare() {
        var spend = allocate(Overheads.Rule.SPEND_SHARE, Map.of(), List.of(salaries(8_000)));
        assertEquals(4_000, r(spend.byRow().get("search/brand")));
        assertEquals(2_000, r(spend.byRow().get("search/generic")));
        assertEquals(2_000, r(spend.byRow().get("social")));
        var leads = allocate(Overheads.Rule.LEAD_SHARE, Map.of(), List.of(salaries(8_000)));
        assertEquals(6_000, r(leads.byRow().get("social")));
        assertEquals(1_200, r(leads.byRow().get("search/generic")), "within the channel by its own basis too");
        var paid = allocate(Overheads.Rule.PAID_DEAL_SHARE, Map.of(), List.of(salaries(8_000)));
        assertEquals(6_000, r(paid.byRow().get("social")));
        assertEquals(2_000, r(paid.byRow().get("search/brand")));
    }

    @Test
    void fixedSharesLeaveWhatTheyDoNotCoverUnallocatedAndACommissionFollowsItsChannelsSpend() {
        var fixed = allocate(Overheads.Rule.FIXED_SHARES, Map.of("search", BigDecimal.valueOf(50), "social", BigDecimal.valueOf(30)),
                List.of(salaries(10_000), new Overheads.Item(NOV, "agency_commission", null, BigDecimal.TEN, "search")));
        assertEquals(3_000, r(fixed.byRow().get("social")));
        assertEquals(5_000 + 3_000, r(fixed.byRow().get("search/brand").add(fixed.byRow().get("search/generic"))), "half of 10,000 + 10 % of 30,000");
        assertEquals(2_000, r(fixed.unallocatedMinor()), "20 % of the salaries belong to no channel");
    }

    @Test
    void aPeriodHoldingPartOfAMonthCarriesThatPartOfItsAmounts() {
        assertEquals(new BigDecimal("10"), Overheads.fractionOf(NOV, LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 3)).multiply(BigDecimal.valueOf(100))
                .setScale(0, RoundingMode.HALF_EVEN));
        var noSpend = Overheads.allocate(Overheads.Rule.SPEND_SHARE, Map.of(), List.of(salaries(5_000)), FROM, TO, Map.of(), Map.of(), List.<Overheads.Cell<String>>of());
        assertEquals(5_000, r(noSpend.unallocatedMinor()), "a month without spend allocates nothing by spend and says so");
    }

    @Test
    void theCentralBanksDailyXmlInWindows1251WithCommaDecimalsAndNominal() {
        String xml = "<?xml version=\"1.0\" encoding=\"windows-1251\"?><ValCurs Date=\"07.11.2026\" name=\"Foreign Currency Market\">"
                + "<Valute ID=\"R01235\"><NumCode>840</NumCode><CharCode>USD</CharCode><Nominal>1</Nominal><Name>Доллар США</Name><Value>92,4512</Value></Valute>"
                + "<Valute ID=\"R01375\"><NumCode>156</NumCode><CharCode>CNY</CharCode><Nominal>10</Nominal><Name>Юань</Name><Value>127,1020</Value></Valute>"
                + "<Valute ID=\"R01239\"><NumCode>978</NumCode><CharCode>EUR</CharCode><Nominal>1</Nominal><Name>Евро</Name><Value>сто</Value></Valute>"
                + "</ValCurs>";
        CbrDailyXml.Result r = CbrDailyXml.parse(xml.getBytes(Charset.forName("windows-1251")));
        assertEquals(LocalDate.of(2026, 11, 7), r.day());
        assertEquals(2, r.rates().size());
        assertEquals(0, new BigDecimal("92.4512").compareTo(r.rates().get(0).value()));
        assertEquals(0, new BigDecimal("12.7102").compareTo(r.rates().get(1).value()), "10 yuan for 127.1020 roubles");
        assertTrue(r.problems().get(0).contains("EUR"));
        assertThrows(() -> CbrDailyXml.parse("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><ValCurs Date=\"07.11.2026\">&e;</ValCurs>"
                .getBytes()));
    }

    @Test
    void aDayWithoutARateTakesTheLastOneWithinTheLimitThenNoneAndPairsCrossThroughTheRouble() {
        ExchangeRates rates = new ExchangeRates(List.of(new ExchangeRates.Rate(LocalDate.of(2026, 11, 6), "USD", "RUB", new BigDecimal("92")),
                new ExchangeRates.Rate(LocalDate.of(2026, 11, 6), "EUR", "RUB", new BigDecimal("100"))), 3);
        assertEquals(0, new BigDecimal("9200").compareTo(rates.convert(BigDecimal.valueOf(100), "USD", "RUB", LocalDate.of(2026, 11, 8)).orElseThrow()),
                "Sunday takes Friday's rate: 1 dollar = 92 roubles = 9200 kopecks");
        assertTrue(rates.convert(BigDecimal.valueOf(100), "USD", "RUB", LocalDate.of(2026, 11, 10)).isEmpty(), "4 days old: no rate, a gap");
        assertTrue(rates.convert(BigDecimal.valueOf(100), "USD", "RUB", LocalDate.of(2026, 11, 5)).isEmpty(), "no earlier rate");
        assertEquals(0, new BigDecimal("108.6956521739130434782608695652174").compareTo(rates.convert(BigDecimal.valueOf(100), "EUR", "USD",
                LocalDate.of(2026, 11, 6)).orElseThrow()), "across the rouble");
        assertEquals(0, BigDecimal.ONE.compareTo(rates.rate(LocalDate.of(2026, 11, 6), "RUB", "USD").orElseThrow().multiply(new BigDecimal("92"))
                .setScale(20, RoundingMode.HALF_EVEN)), "the inverse");
    }

    @Test
    void aRatesCsvNamesItsBadLines() {
        RateCsv.Result r = RateCsv.parse("day;currency;rate;nominal\n2026-11-06;USD;92,45;1\n2026-11-06;JPY;61,3;100\n2026-11-06;XXQ;1;1\n", "RUB");
        assertEquals(2, r.rates().size());
        assertEquals(0, new BigDecimal("0.613").compareTo(r.rates().get(1).value()));
        assertEquals(4, r.rejected().get(0).line());
    }

    private static void assertThrows(Runnable r) {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, r::run);
    }
}
