package io.throughline.commons.money;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Currency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MoneyTest {

    @ParameterizedTest(name = "{0} {1} = {2} minor units, shown as {3}")
    @CsvSource({
            "18500, RUB, 1850000, 18500.00",
            "4200.5, RUB, 420050, 4200.50",
            "0.01, USD, 1, 0.01",
            "1500, JPY, 1500, 1500",
            "1.234, KWD, 1234, 1.234"})
    void convertsMajorUnitsExactly(String major, String code, long minor, String shown) {
        Money money = Money.ofMajor(new BigDecimal(major), Currency.getInstance(code)).orElseThrow();
        assertEquals(minor, money.amountMinor());
        assertEquals(new BigDecimal(shown), money.major());
        assertEquals(shown, money.major().toPlainString());
    }

    @Test
    void refusesFractionsTheCurrencyDoesNotHave() {
        assertTrue(Money.ofMajor(new BigDecimal("0.001"), Currency.getInstance("RUB")).isEmpty());
        assertTrue(Money.ofMajor(new BigDecimal("1.5"), Currency.getInstance("JPY")).isEmpty());
        assertTrue(Money.ofMajor(new BigDecimal("1e30"), Currency.getInstance("RUB")).isEmpty());
    }

    @Test
    void knowsIso4217Codes() {
        assertTrue(Money.currency("RUB").isPresent());
        assertTrue(Money.currency("rub").isEmpty());
        assertTrue(Money.currency("XYZ").isEmpty());
    }
}
