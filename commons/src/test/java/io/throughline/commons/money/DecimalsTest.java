package io.throughline.commons.money;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DecimalsTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "1234.50, true",
            "0, true",
            "123456789012345678901234567890, true",
            "1234567890123456789012345678901, false",
            "0.123456789012345678901234567890, true",
            "0.1234567890123456789012345678901, false",
            "1e29, true",
            "1e30, false",
            "66e666666666, false",
            "1e-999999999, false",
            "-1e999999999, false"})
    void holdsNumbersToThirtyDigitsEitherSideOfThePoint(String number, boolean bounded) {
        assertEquals(bounded, Decimals.bounded(new BigDecimal(number)));
    }
}
